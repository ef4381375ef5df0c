import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { EventStoreDBClient, jsonEvent, type ResolvedEvent } from '@eventstore/db-client';
import { credentials } from '@grpc/grpc-js';
import { ServerFeaturesClient } from '@eventstore/db-client/generated/serverfeatures_grpc_pb';
import { Empty } from '@eventstore/db-client/generated/shared_pb';
import { selfSignedCertificate } from './support/certificate';

const repoRoot = path.resolve(__dirname, '..', '..', '..');
const main = path.join(repoRoot, 'apps', 'store', 'src', 'main.ts');

interface Running {
  readonly child: ChildProcess;
  readonly line: string;
  exit(): Promise<number | null>;
}

/** Runs `store` with the given flags from the sources and waits for its connection-string line. */
function runStore(args: string[]): Promise<Running> {
  const child = spawn(process.execPath, ['-r', require.resolve('@swc-node/register'), main, ...args], {
    cwd: repoRoot,
    env: { ...process.env, SWC_NODE_PROJECT: path.join(repoRoot, 'tsconfig.json') },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
  return new Promise((done, fail) => {
    let out = '';
    let err = '';
    child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const line = out.split('\n').find((l) => l.startsWith('connectionString='));
      if (line) done({ child, line, exit: () => exited });
    });
    void exited.then((code) => fail(new Error(`store exited with ${code} before it was ready: ${err}`)));
  });
}

async function roundTrip(connectionString: string): Promise<string[]> {
  const client = EventStoreDBClient.connectionString(connectionString);
  try {
    await client.appendToStream('program-check', [jsonEvent({ type: 'Checked', data: { ok: true } })]);
    const types: string[] = [];
    for await (const e of client.readStream('program-check') as AsyncIterable<ResolvedEvent>) types.push(e.event!.type);
    return types;
  } finally {
    await client.dispose();
  }
}

describe('the store program', () => {
  jest.setTimeout(60_000);
  let dir: string;

  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'store-program-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('prints one connection-string line, serves the client, keeps data in --db, stops with exit 0 on SIGTERM', async () => {
    const db = path.join(dir, 'db');
    const first = await runStore(['--db', db, '--port', '0']);
    expect(first.line).toMatch(/^connectionString=esdb:\/\/127\.0\.0\.1:\d+\?tls=false$/);
    expect(await roundTrip(first.line.slice('connectionString='.length))).toEqual(['Checked']);
    first.child.kill('SIGTERM');
    expect(await first.exit()).toBe(0);

    const second = await runStore(['--db', db, '--port', '0']);
    expect(await roundTrip(second.line.slice('connectionString='.length))).toEqual(['Checked', 'Checked']);
    second.child.kill('SIGINT');
    expect(await second.exit()).toBe(0);
  });

  it('serves TLS with --cert/--key and hands out a connection string the client can use as is', async () => {
    const { cert, key } = await selfSignedCertificate();
    writeFileSync(path.join(dir, 'cert.pem'), cert);
    writeFileSync(path.join(dir, 'key.pem'), key);
    const running = await runStore(['--mem', '--port', '0', '--cert', path.join(dir, 'cert.pem'), '--key', path.join(dir, 'key.pem')]);
    const connectionString = running.line.slice('connectionString='.length);
    expect(connectionString).toMatch(/^esdb:\/\/admin:changeit@localhost:\d+\?tlsCAFile=/);
    expect(await roundTrip(connectionString)).toEqual(['Checked']);
    running.child.kill('SIGTERM');
    expect(await running.exit()).toBe(0);
  });

  it('leaves BatchAppend out with --no-batch-append', async () => {
    const running = await runStore(['--mem', '--port', '0', '--no-batch-append']);
    const address = /esdb:\/\/([^?]+)\?/.exec(running.line)![1];
    const features = new ServerFeaturesClient(address, credentials.createInsecure());
    const methods = await new Promise<string[]>((done, fail) =>
      features.getSupportedMethods(new Empty(), (error, answer) => (error ? fail(error) : done(answer!.getMethodsList().map((m) => m.getMethodName())))),
    );
    features.close();
    expect(methods).toContain('append');
    expect(methods).not.toContain('batchappend');
    expect(await roundTrip(running.line.slice('connectionString='.length))).toEqual(['Checked']);
    running.child.kill('SIGTERM');
    expect(await running.exit()).toBe(0);
  });

  it('refuses contradictory flags with a usage message and exit code 2', async () => {
    const child = spawn(process.execPath, ['-r', require.resolve('@swc-node/register'), main, '--mem', '--db', dir], {
      cwd: repoRoot,
      env: { ...process.env, SWC_NODE_PROJECT: path.join(repoRoot, 'tsconfig.json') },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let err = '';
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    const code = await new Promise<number | null>((done) => child.once('exit', done));
    expect(code).toBe(2);
    expect(err).toContain('usage: store');
  });
});
