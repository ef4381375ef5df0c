import { parseArgs } from 'node:util';
import type { Environment } from '@newsroom/config';

export const REPLAY_USAGE = [
  'usage: npm run replay -- [--verify <api url>] [--json] [--no-progress]',
  '',
  'Rebuilds every view from the story events of $all in this process and prints events/s',
  'and the digest of the views at the position reached.',
  '',
  '  --verify <url>   compare with the live views of the api at <url> (GET /admin/projections,',
  '                   auditor token in NEWSROOM_TOKEN): replay up to THEIR position and exit 1',
  '                   when the digests differ, 0 when they are equal',
  '  --json           one JSON object on stdout instead of text',
  '  --no-progress    no progress bar (it is drawn on stderr, and only on a terminal)',
  '',
  'The store: EVENTSTORE_CONNECTION_STRING, else the embedded store of `npm start`',
  '(esdb://127.0.0.1:<EMBEDDED_STORE_PORT or 2113>?tls=false).',
  'Exit codes: 0 done (and equal), 1 the digests differ, 2 usage error or nothing to compare with.',
].join('\n');

export interface ReplayOptions {
  readonly connectionString: string;
  /** Where the connection string came from, for messages. */
  readonly storeSource: 'EVENTSTORE_CONNECTION_STRING' | 'embedded store of npm start';
  /** Base URL of the api whose live digest to verify against. */
  readonly verifyUrl?: string;
  readonly token?: string;
  readonly json: boolean;
  readonly progress: boolean;
}

/** A mistake in the command line or the environment: printed with the usage, exit code 2. */
export class UsageError extends Error {}

/**
 * Reads the command line beside the environment's settings (read and checked by
 * `readEnvironment('replay', …)`). `help` when asked for it. The embedded store's address
 * mirrors `npm start`: EMBEDDED_STORE_HOST and EMBEDDED_STORE_PORT, default 127.0.0.1:2113.
 */
export function parseReplayOptions(argv: readonly string[], config: Environment<'replay'>): ReplayOptions | 'help' {
  let values: { verify?: string; json?: boolean; 'no-progress'?: boolean; help?: boolean };
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: {
        verify: { type: 'string' },
        json: { type: 'boolean', default: false },
        'no-progress': { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  if (values.help) return 'help';

  let verifyUrl: string | undefined;
  let token: string | undefined;
  if (values.verify !== undefined) {
    verifyUrl = parseApiUrl(values.verify);
    token = config.NEWSROOM_TOKEN;
    if (token === undefined) throw new UsageError('--verify needs an auditor token in NEWSROOM_TOKEN');
  }

  const explicit = config.EVENTSTORE_CONNECTION_STRING;
  let connectionString: string;
  if (explicit !== undefined) {
    connectionString = explicit;
  } else {
    // Port 0 has the api's embedded store pick a free port, which only the api's own log tells.
    if (config.EMBEDDED_STORE_PORT === 0) {
      throw new UsageError('EMBEDDED_STORE_PORT is 0: set EVENTSTORE_CONNECTION_STRING to the embedded store the api printed');
    }
    const host = config.EMBEDDED_STORE_HOST;
    // A store listening on every interface is reached on loopback.
    const reachable = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host.includes(':') ? `[${host}]` : host;
    connectionString = `esdb://${reachable}:${config.EMBEDDED_STORE_PORT}?tls=false`;
  }
  return {
    connectionString,
    storeSource: explicit !== undefined ? 'EVENTSTORE_CONNECTION_STRING' : 'embedded store of npm start',
    ...(verifyUrl === undefined ? {} : { verifyUrl }),
    ...(token === undefined ? {} : { token }),
    json: values.json === true,
    progress: values['no-progress'] !== true,
  };
}

function parseApiUrl(text: string): string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new UsageError(`--verify needs the api's base URL (e.g. http://127.0.0.1:3000), got "${text}"`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new UsageError(`--verify needs an http(s) URL, got "${text}"`);
  }
  return url.toString().replace(/\/+$/, '');
}
