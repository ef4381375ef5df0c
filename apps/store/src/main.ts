/**
 * The embedded EventStoreDB-compatible store as a program:
 *
 *   npm run store -- [--db DIR | --mem] [--host H] [--port N] [--cert FILE --key FILE] [--no-batch-append]
 *
 * When ready it prints one line, `connectionString=<esdb://...>`, on stdout; it stops cleanly
 * (exit 0) on SIGTERM or SIGINT.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { startEmbeddedStore, type EmbeddedStoreOptions } from '@newsroom/esdb-server';

const USAGE = 'usage: store [--db DIR | --mem] [--host H] [--port N] [--cert FILE --key FILE] [--no-batch-append]';

function parseOptions(argv: string[]): EmbeddedStoreOptions {
  const { values } = parseArgs({
    args: argv,
    options: {
      db: { type: 'string' },
      mem: { type: 'boolean', default: false },
      host: { type: 'string', default: '127.0.0.1' },
      port: { type: 'string', default: '2113' },
      cert: { type: 'string' },
      key: { type: 'string' },
      'no-batch-append': { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
    strict: true,
  });
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    process.exit(0);
  }
  if (values.mem && values.db !== undefined) throw new Error('--db and --mem exclude each other');
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`invalid --port: ${values.port}`);
  if ((values.cert === undefined) !== (values.key === undefined)) throw new Error('--cert and --key go together');
  return {
    dataDir: values.db ?? 'data',
    memory: values.mem,
    host: values.host,
    port,
    tls:
      values.cert !== undefined && values.key !== undefined
        ? { cert: readFileSync(values.cert), key: readFileSync(values.key), caFile: resolve(values.cert) }
        : undefined,
    batchAppend: !values['no-batch-append'],
  };
}

async function main(): Promise<void> {
  let options: EmbeddedStoreOptions;
  try {
    options = parseOptions(process.argv.slice(2));
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n${USAGE}\n`);
    process.exit(2);
  }
  // Signals are taken from the start: one that arrives while the store opens stops it once it is open.
  let signalled: NodeJS.Signals | undefined;
  const stopper: { stop?: (signal: NodeJS.Signals) => void } = {};
  const onSignal = (signal: NodeJS.Signals) => {
    if (signalled) return;
    signalled = signal;
    stopper.stop?.(signal);
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);

  const store = await startEmbeddedStore(options);
  const stopNow = (signal: NodeJS.Signals) => {
    process.stderr.write(`store: ${signal}, stopping\n`);
    store.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        process.stderr.write(`store: stop failed: ${String(error)}\n`);
        process.exit(1);
      },
    );
  };
  stopper.stop = stopNow;
  if (signalled) return stopNow(signalled);
  process.stdout.write(`connectionString=${store.connectionString}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`store: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
