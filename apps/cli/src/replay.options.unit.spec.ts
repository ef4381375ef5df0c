import { ConfigError, readEnvironment } from '@newsroom/config';
import { parseReplayOptions as parseWithSettings, UsageError } from './replay.options';

/** The command line with the environment as the replay's main reads it. */
function parseReplayOptions(argv: readonly string[], env: Record<string, string>) {
  return parseWithSettings(argv, readEnvironment('replay', env));
}

describe('replay options', () => {
  it('reads the store named by EVENTSTORE_CONNECTION_STRING', () => {
    const options = parseReplayOptions([], { EVENTSTORE_CONNECTION_STRING: 'esdb://store.example:2113?tls=false' });

    expect(options).toEqual({
      connectionString: 'esdb://store.example:2113?tls=false',
      storeSource: 'EVENTSTORE_CONNECTION_STRING',
      json: false,
      progress: true,
    });
  });

  it('else the embedded store of npm start, on EMBEDDED_STORE_PORT or 2113', () => {
    expect(parseReplayOptions([], {})).toEqual(expect.objectContaining({ connectionString: 'esdb://127.0.0.1:2113?tls=false' }));
    expect(parseReplayOptions([], { EMBEDDED_STORE_PORT: '2999', EVENTSTORE_CONNECTION_STRING: ' ' })).toEqual(
      expect.objectContaining({ connectionString: 'esdb://127.0.0.1:2999?tls=false', storeSource: 'embedded store of npm start' }),
    );
    expect(parseReplayOptions([], { EMBEDDED_STORE_HOST: '0.0.0.0' })).toEqual(
      expect.objectContaining({ connectionString: 'esdb://127.0.0.1:2113?tls=false' }),
    );
    expect(() => parseReplayOptions([], { EMBEDDED_STORE_PORT: '70000' })).toThrow(
      new ConfigError(['EMBEDDED_STORE_PORT must be a port number (0 to 65535), got "70000"']),
    );
    // Port 0 has the api's store pick one: only the api's log tells which.
    expect(() => parseReplayOptions([], { EMBEDDED_STORE_PORT: '0' })).toThrow(UsageError);
  });

  it('--verify takes the api URL and the auditor token from NEWSROOM_TOKEN', () => {
    const options = parseReplayOptions(['--verify', 'http://127.0.0.1:3000/', '--json', '--no-progress'], { NEWSROOM_TOKEN: 'tok' });

    expect(options).toEqual(expect.objectContaining({ verifyUrl: 'http://127.0.0.1:3000', token: 'tok', json: true, progress: false }));
  });

  it('refuses --verify without a token or with something other than an http URL, and unknown flags', () => {
    expect(() => parseReplayOptions(['--verify', 'http://127.0.0.1:3000'], {})).toThrow('NEWSROOM_TOKEN');
    expect(() => parseReplayOptions(['--verify', 'localhost:3000'], { NEWSROOM_TOKEN: 'tok' })).toThrow(UsageError);
    expect(() => parseReplayOptions(['--verify', 'not a url'], { NEWSROOM_TOKEN: 'tok' })).toThrow(UsageError);
    expect(() => parseReplayOptions(['--verbose'], {})).toThrow(UsageError);
    expect(() => parseReplayOptions(['extra'], {})).toThrow(UsageError);
  });

  it('answers help', () => {
    expect(parseReplayOptions(['--help'], {})).toBe('help');
  });
});
