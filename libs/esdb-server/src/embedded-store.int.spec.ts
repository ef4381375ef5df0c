import { EventStoreDBClient, END, FORWARDS, BACKWARDS, START, binaryEvent, jsonEvent, type ResolvedEvent } from '@eventstore/db-client';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generate } from 'selfsigned';
import { startEmbeddedStore, type EmbeddedStore } from '@newsroom/esdb-server';

/** Smoke test through the real client: the store as the api will use it. */
describe.each([
  { batchAppend: true, path: 'BatchAppend' },
  { batchAppend: false, path: 'Append' },
])('startEmbeddedStore with the real client ($path)', ({ batchAppend }) => {
  let dir: string;
  let store: EmbeddedStore;
  let client: EventStoreDBClient;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'esdb-embedded-'));
    store = await startEmbeddedStore({ dataDir: dir, port: 0, batchAppend });
    client = EventStoreDBClient.connectionString(store.connectionString);
  });

  afterAll(async () => {
    await client.dispose();
    await store.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('gives an insecure connection string on loopback', () => {
    expect(store.connectionString).toBe(`esdb://127.0.0.1:${store.port}?tls=false`);
  });

  it('appends, reads the stream both ways, and reads $all', async () => {
    const first = await client.appendToStream('smoke-1', [jsonEvent({ type: 'A', data: { n: 1 } }), jsonEvent({ type: 'B', data: { n: 2 } })], {
      expectedRevision: 'no_stream',
    });
    expect(first.nextExpectedRevision).toBe(1n);
    const events: ResolvedEvent[] = [];
    for await (const e of client.readStream('smoke-1', { direction: FORWARDS, fromRevision: START })) events.push(e);
    expect(events.map((e) => [e.event?.type, e.event?.revision, e.event?.data])).toEqual([
      ['A', 0n, { n: 1 }],
      ['B', 1n, { n: 2 }],
    ]);
    const backwards: ResolvedEvent[] = [];
    for await (const e of client.readStream('smoke-1', { direction: BACKWARDS, fromRevision: END, maxCount: 1 })) backwards.push(e);
    expect(backwards.map((e) => e.event?.type)).toEqual(['B']);
    const all: ResolvedEvent[] = [];
    for await (const e of client.readAll()) all.push(e);
    const mine = all.filter((e) => e.event?.streamId === 'smoke-1');
    expect(mine.map((e) => e.event?.type)).toEqual(['A', 'B']);
    expect(mine[0].event!.position!.commit < mine[1].event!.position!.commit).toBe(true);
    expect(first.position?.commit).toBe(mine[1].event!.position!.commit);
  });

  it('subscribes: catch-up, caught up, then live without gap or duplicate', async () => {
    const stream = `smoke-sub-${batchAppend}`;
    await client.appendToStream(stream, [jsonEvent({ type: 'Old', data: { i: 0 } })]);
    const subscription = client.subscribeToStream(stream, { fromRevision: START });
    const seen: number[] = [];
    const caughtUp = new Promise<void>((done) => subscription.once('caughtUp', () => done()));
    const allSeen = new Promise<void>((done) => {
      subscription.on('data', (e: ResolvedEvent) => {
        seen.push((e.event!.data as { i: number }).i);
        if (seen.length === 3) done();
      });
    });
    await caughtUp;
    await client.appendToStream(stream, [jsonEvent({ type: 'New', data: { i: 1 } })]);
    await client.appendToStream(stream, [jsonEvent({ type: 'New', data: { i: 2 } })]);
    await allSeen;
    await subscription.unsubscribe();
    expect(seen).toEqual([0, 1, 2]);
  });

  it('resolves link events when asked, as a real node does', async () => {
    const stream = `linked-${batchAppend}`;
    await client.appendToStream(stream, [jsonEvent({ type: 'Target', data: { n: 7 } })]);
    await client.appendToStream(`links-${batchAppend}`, [
      binaryEvent({ type: '$>', data: Buffer.from(`0@${stream}`) }),
      binaryEvent({ type: '$>', data: Buffer.from(`5@${stream}`) }),
    ]);
    const resolved: ResolvedEvent[] = [];
    for await (const e of client.readStream(`links-${batchAppend}`, { resolveLinkTos: true })) resolved.push(e);
    expect(resolved[0].event?.streamId).toBe(stream);
    expect(resolved[0].event?.data).toEqual({ n: 7 });
    expect(resolved[0].link?.streamId).toBe(`links-${batchAppend}`);
    expect(resolved[1].event).toBeUndefined();
    expect(resolved[1].link?.revision).toBe(1n);
    const plain: ResolvedEvent[] = [];
    for await (const e of client.readStream(`links-${batchAppend}`)) plain.push(e);
    expect(plain.map((e) => e.event?.type)).toEqual(['$>', '$>']);
  });
});

describe('startEmbeddedStore lifecycle', () => {
  it('stops promptly while a client still holds a live subscription, and keeps acknowledged data', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'esdb-embedded-stop-'));
    try {
      const store = await startEmbeddedStore({ dataDir: dir, port: 0 });
      const client = EventStoreDBClient.connectionString(store.connectionString);
      await client.appendToStream('kept', [jsonEvent({ type: 'Kept', data: {} })]);
      const subscription = client.subscribeToAll();
      subscription.on('error', () => undefined);
      await new Promise<void>((done) => subscription.once('caughtUp', () => done()));
      const started = Date.now();
      await store.stop();
      expect(Date.now() - started).toBeLessThan(2_000);
      await client.dispose();

      const reopened = await startEmbeddedStore({ dataDir: dir, port: 0 });
      const again = EventStoreDBClient.connectionString(reopened.connectionString);
      const types: string[] = [];
      for await (const e of again.readStream('kept')) types.push(e.event!.type);
      expect(types).toEqual(['Kept']);
      await again.dispose();
      await reopened.stop();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses to start on a port already taken, leaving nothing open', async () => {
    const first = await startEmbeddedStore({ memory: true, port: 0 });
    try {
      await expect(startEmbeddedStore({ memory: true, port: first.port })).rejects.toThrow();
    } finally {
      await first.stop();
    }
  });
});

describe('the TLS connection string on loopback', () => {
  type AltName = { type: 2; value: string } | { type: 7; ip: string };
  const certificateFor = async (altNames: AltName[]) => {
    const pems = await generate([{ name: 'commonName', value: 'embedded-store' }], {
      keyType: 'ec',
      curve: 'P-256',
      extensions: [{ name: 'subjectAltName', altNames }],
    });
    return { cert: pems.cert, key: pems.private };
  };
  const warnings: Error[] = [];
  const onWarning = (warning: Error) => warnings.push(warning);
  beforeEach(() => {
    warnings.length = 0;
    process.on('warning', onWarning);
  });
  afterEach(() => {
    process.off('warning', onWarning);
  });

  /** Starts a TLS store, appends and reads through its own connection string, and returns that string. */
  const connectThrough = async (host: string, altNames: AltName[]): Promise<{ connectionString: string; port: number }> => {
    const store = await startEmbeddedStore({ memory: true, host, port: 0, tls: await certificateFor(altNames) });
    const client = EventStoreDBClient.connectionString(store.connectionString);
    try {
      await client.appendToStream('tls-smoke', jsonEvent({ type: 'A', data: {} }));
      const read: ResolvedEvent[] = [];
      for await (const e of client.readStream('tls-smoke')) read.push(e);
      expect(read).toHaveLength(1);
      return { connectionString: store.connectionString, port: store.port };
    } finally {
      await client.dispose();
      await store.stop();
    }
  };

  it.each(['127.0.0.1', '0.0.0.0'])('names localhost when bound to %s and the certificate names localhost: no DEP0123 warning', async (host) => {
    const { connectionString, port } = await connectThrough(host, [
      { type: 2, value: 'localhost' },
      { type: 7, ip: '127.0.0.1' },
    ]);

    expect(connectionString).toMatch(new RegExp(`^esdb://admin:changeit@localhost:${port}\\?tlsCAFile=`));
    expect(warnings.map((w) => (w as { code?: string }).code)).not.toContain('DEP0123');
  });

  it('keeps the address when the certificate names only the address', async () => {
    const { connectionString, port } = await connectThrough('127.0.0.1', [{ type: 7, ip: '127.0.0.1' }]);

    expect(connectionString).toMatch(new RegExp(`^esdb://admin:changeit@127\\.0\\.0\\.1:${port}\\?tlsCAFile=`));
  });
});
