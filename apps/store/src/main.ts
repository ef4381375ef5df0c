/**
 * The embedded EventStoreDB-compatible store as a program:
 *
 *   npm run store -- [--db DIR | --mem] [--host H] [--port N] [--cert FILE --key FILE] [--no-batch-append]
 *
 * EMBEDDED_STORE_DATA_DIR, EMBEDDED_STORE_HOST and EMBEDDED_STORE_PORT are the defaults of
 * --db, --host and --port, so that this store and the api's embedded one agree on where the
 * store is. When ready it prints one line, `connectionString=<esdb://...>`, on stdout; it
 * stops cleanly (exit 0) on SIGTERM or SIGINT.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { ConfigError, type Environment, EXIT_BAD_SETTING, readEnvironmentOrExit, readOption } from '@newsroom/config';
import { startEmbeddedStore, type EmbeddedStoreOptions } from '@newsroom/esdb-server';

const USAGE = 'usage: store [--db DIR | --mem] [--host H] [--port N] [--cert FILE --key FILE] [--no-batch-append]';

function parseOptions(argv: string[], config: Environment<'store'>): EmbeddedStoreOptions {
  const { values } = parseArgs({
    args: argv,
    options: {
      db: { type: 'string' },
      mem: { type: 'boolean', default: false },
      host: { type: 'string' },
      port: { type: 'string' },
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
  if ((values.cert === undefined) !== (values.key === undefined)) throw new Error('--cert and --key go together');
  return {
    dataDir: values.db ?? config.EMBEDDED_STORE_DATA_DIR,
    memory: values.mem,
    host: values.host === undefined ? config.EMBEDDED_STORE_HOST : readOption('EMBEDDED_STORE_HOST', '--host', values.host),
    port: values.port === undefined ? config.EMBEDDED_STORE_PORT : readOption('EMBEDDED_STORE_PORT', '--port', values.port),
    tls:
      values.cert !== undefined && values.key !== undefined
        ? { cert: readFileSync(values.cert), key: readFileSync(values.key), caFile: resolve(values.cert) }
        : undefined,
    batchAppend: !values['no-batch-append'],
  };
}

async function main(): Promise<void> {
  const config = readEnvironmentOrExit('store');
  let options: EmbeddedStoreOptions;
  try {
    options = parseOptions(process.argv.slice(2), config);
  } catch (error) {
    // A bad value gets its one line; a flag the program does not know gets the usage too.
    process.stderr.write(error instanceof ConfigError ? `store: ${error.message}\n` : `store: ${(error as Error).message}\n${USAGE}\n`);
    process.exit(EXIT_BAD_SETTING);
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
