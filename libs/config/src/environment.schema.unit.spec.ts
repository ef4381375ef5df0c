import {
  ConfigError,
  environmentSchema,
  PROGRAM_ENVIRONMENTS,
  type Program,
  readEnvironment,
  readOption,
  redactConnectionString,
  type Variable,
} from './index';

/** The first program that reads `name`: every variable is read by one at least. */
function programOf(name: Variable): Program {
  const program = (Object.keys(PROGRAM_ENVIRONMENTS) as Program[]).find((candidate) => name in PROGRAM_ENVIRONMENTS[candidate].shape);
  if (program === undefined) throw new Error(`no program reads ${name}`);
  return program;
}

/** The value of `name` once read from an environment holding only it. */
function read(name: Variable, value: string | undefined): unknown {
  return (readEnvironment(programOf(name), value === undefined ? {} : { [name]: value }) as Record<string, unknown>)[name];
}

/** The lines start-up stops with, given only `name=value`. */
function refusal(name: Variable, value: string): readonly string[] {
  try {
    read(name, value);
  } catch (error) {
    if (error instanceof ConfigError) return error.lines;
    throw error;
  }
  throw new Error(`${name}=${value} was accepted`);
}

const PORT_LINE = (name: string, value: string) => `${name} must be a port number (0 to 65535), got "${value}"`;
const HOST_LINE = (name: string, value: string) => `${name} must be an IP address or a host name (127.0.0.1, 0.0.0.0, ::, localhost), got "${value}"`;
const SKEW_LINE = (value: string) => `MAX_CLOCK_SKEW_SECONDS must be a whole number of seconds (0 to 31622400), got "${value}"`;
const TIMEOUT_LINE = (value: string) => `REQUEST_TIMEOUT_SECONDS must be a whole number of seconds (0 to 2147483), got "${value}"`;
const RATE_LINE = (name: string, value: string) =>
  `${name} must be requests per token and window: N (per minute), N/s, N/m, N/h or N/10s, N at least 1; or off, got "${value}"`;
const TOKENS_ACCEPTS = 'NEWSROOM_TOKENS must be token=role+role entries separated by commas (roles: writer, reader, auditor, metrics)';
const ORIGINS_ACCEPTS = 'NEWSROOM_CORS_ORIGINS must be origins separated by commas, each http(s)://host[:port] with no path or trailing slash (no *)';

/** Per variable: a value it takes with what it becomes, and values it refuses with the exact line. */
const CASES: Record<Variable, { readonly good: readonly [string, unknown][]; readonly bad: readonly [string, string][] }> = {
  PORT: {
    good: [
      ['8080', 8080],
      ['0', 0],
      ['65535', 65535],
      [' 3001 ', 3001],
    ],
    bad: [
      ['not-a-port', PORT_LINE('PORT', 'not-a-port')],
      ['65536', PORT_LINE('PORT', '65536')],
      ['-1', PORT_LINE('PORT', '-1')],
      ['80.5', PORT_LINE('PORT', '80.5')],
    ],
  },
  HOST: {
    good: [
      ['0.0.0.0', '0.0.0.0'],
      ['::', '::'],
      ['localhost', 'localhost'],
      ['api.internal.example', 'api.internal.example'],
    ],
    bad: [
      ['not a host', HOST_LINE('HOST', 'not a host')],
      ['http://localhost', HOST_LINE('HOST', 'http://localhost')],
    ],
  },
  EVENTSTORE_CONNECTION_STRING: {
    good: [
      ['esdb://localhost:2113?tls=false', 'esdb://localhost:2113?tls=false'],
      ['esdb+discover://admin:changeit@cluster.example:2113', 'esdb+discover://admin:changeit@cluster.example:2113'],
    ],
    bad: [
      // The password never appears in the message.
      [
        'https://admin:s3cret@db:2113',
        'EVENTSTORE_CONNECTION_STRING must be an EventStoreDB connection string (esdb://host:2113?tls=false, esdb+discover://…), got "https://admin:***@db:2113"',
      ],
    ],
  },
  EMBEDDED_STORE_PORT: {
    good: [
      ['2999', 2999],
      ['0', 0],
    ],
    bad: [
      ['not-a-port', PORT_LINE('EMBEDDED_STORE_PORT', 'not-a-port')],
      ['70000', PORT_LINE('EMBEDDED_STORE_PORT', '70000')],
    ],
  },
  EMBEDDED_STORE_HOST: {
    good: [
      ['0.0.0.0', '0.0.0.0'],
      ['::1', '::1'],
    ],
    bad: [['127.0.0.1:2113', HOST_LINE('EMBEDDED_STORE_HOST', '127.0.0.1:2113')]],
  },
  EMBEDDED_STORE_DATA_DIR: {
    good: [
      ['/var/lib/newsroom', '/var/lib/newsroom'],
      ['store data', 'store data'],
    ],
    // Any path is a path: a directory the store cannot use is refused by the store, naming the cause.
    bad: [],
  },
  NEWSROOM_TOKENS: {
    good: [['desk-key=writer, audit-key=reader+auditor', 'desk-key=writer, audit-key=reader+auditor']],
    bad: [
      // No token is ever echoed: only the entry's place.
      ['secret-value=editor', `${TOKENS_ACCEPTS}; entry 1: unknown role "editor"`],
      ['k=writer,just-a-token', `${TOKENS_ACCEPTS}; entry 2 is not token=role+role`],
      ['k=writer,=reader', `${TOKENS_ACCEPTS}; entry 2 is not token=role+role`],
      ['a b=writer', `${TOKENS_ACCEPTS}; entry 1: a token has no spaces`],
      ['k=writer,k=reader', `${TOKENS_ACCEPTS}; entry 2 repeats a token`],
      [' , ', `${TOKENS_ACCEPTS}; holds no token`],
    ],
  },
  NEWSROOM_CORS_ORIGINS: {
    good: [
      [
        ' https://desk.example.com, http://localhost:5173 ,http://127.0.0.1:8080',
        ['https://desk.example.com', 'http://localhost:5173', 'http://127.0.0.1:8080'],
      ],
    ],
    bad: ['*', 'desk.example.com', 'https://desk.example.com/', 'https://desk.example.com/board', 'ftp://desk.example.com', 'HTTPS://Desk.example.com'].map(
      (entry) => [
        `http://localhost:5173,${entry}`,
        `${ORIGINS_ACCEPTS}; entry 2 (${JSON.stringify(entry)}) is not an origin, got ${JSON.stringify(`http://localhost:5173,${entry}`)}`,
      ],
    ),
  },
  MAX_CLOCK_SKEW_SECONDS: {
    good: [
      ['3600', 3600],
      ['0', 0],
      ['31622400', 31622400],
    ],
    bad: [
      ['24h', SKEW_LINE('24h')],
      ['-5', SKEW_LINE('-5')],
      ['1.5', SKEW_LINE('1.5')],
      ['31622401', SKEW_LINE('31622401')],
    ],
  },
  REQUEST_TIMEOUT_SECONDS: {
    good: [
      ['10', 10],
      ['0', 0],
      ['2147483', 2147483],
    ],
    // Past Node's longest timer, setTimeout would fire at once: every request would time out.
    bad: [
      ['30s', TIMEOUT_LINE('30s')],
      ['2147484', TIMEOUT_LINE('2147484')],
    ],
  },
  LIVE_FLUSH_MS: {
    good: [
      ['20', 20],
      ['1', 1],
    ],
    bad: [
      ['0', `LIVE_FLUSH_MS must be a whole number of milliseconds (1 to 2147483647), got "0"`],
      ['2147483648', `LIVE_FLUSH_MS must be a whole number of milliseconds (1 to 2147483647), got "2147483648"`],
    ],
  },
  LIVE_WRITES_PER_SECOND: {
    good: [['5000', 5000]],
    bad: [['lots', `LIVE_WRITES_PER_SECOND must be a whole number (1 to 9007199254740991), got "lots"`]],
  },
  LIVE_MAX_QUEUED_BYTES: {
    good: [['65536', 65536]],
    bad: [['1MiB', `LIVE_MAX_QUEUED_BYTES must be a whole number of bytes (1 to 9007199254740991), got "1MiB"`]],
  },
  LIVE_CONNECTIONS_PER_TOKEN: {
    good: [['3', 3]],
    bad: [
      ['0', `LIVE_CONNECTIONS_PER_TOKEN must be a whole number (1 to 9007199254740991), got "0"`],
      ['-1', `LIVE_CONNECTIONS_PER_TOKEN must be a whole number (1 to 9007199254740991), got "-1"`],
    ],
  },
  LOG_LEVEL: {
    good: [
      ['debug', 'debug'],
      ['WARN', 'warn'],
      ['silent', 'silent'],
    ],
    bad: [['loud', 'LOG_LEVEL must be one of trace, debug, info, warn, error, fatal, silent, got "loud"']],
  },
  NEWSROOM_RATE_LIMIT_WRITES: {
    good: [
      ['600', '600'],
      ['50/10s', '50/10s'],
      ['OFF', 'OFF'],
    ],
    bad: [
      ['0/m', RATE_LINE('NEWSROOM_RATE_LIMIT_WRITES', '0/m')],
      ['ten per minute', RATE_LINE('NEWSROOM_RATE_LIMIT_WRITES', 'ten per minute')],
    ],
  },
  NEWSROOM_RATE_LIMIT_READS: {
    good: [['3000/m', '3000/m']],
    bad: [['100/d', RATE_LINE('NEWSROOM_RATE_LIMIT_READS', '100/d')]],
  },
  NEWSROOM_API_URL: {
    good: [
      ['https://ledger.example.com/', 'https://ledger.example.com'],
      ['http://127.0.0.1:3001', 'http://127.0.0.1:3001'],
    ],
    bad: [
      ['localhost:3000', 'NEWSROOM_API_URL must be an http(s) URL (http://localhost:3000), got "localhost:3000"'],
      ['ftp://ledger.example.com', 'NEWSROOM_API_URL must be an http(s) URL (http://localhost:3000), got "ftp://ledger.example.com"'],
    ],
  },
  NEWSROOM_TOKEN: {
    good: [['dev-auditor', 'dev-auditor']],
    bad: [['my secret', 'NEWSROOM_TOKEN must be a bearer token (no spaces)']],
  },
};

/** What an unset (or blank) variable reads as. */
const DEFAULTS: Record<Variable, unknown> = {
  PORT: 3000,
  HOST: '127.0.0.1',
  EVENTSTORE_CONNECTION_STRING: undefined,
  EMBEDDED_STORE_PORT: 2113,
  EMBEDDED_STORE_HOST: '127.0.0.1',
  EMBEDDED_STORE_DATA_DIR: './data',
  NEWSROOM_TOKENS: undefined,
  NEWSROOM_CORS_ORIGINS: [],
  MAX_CLOCK_SKEW_SECONDS: 86400,
  REQUEST_TIMEOUT_SECONDS: 30,
  LIVE_FLUSH_MS: 5,
  LIVE_WRITES_PER_SECOND: 20_000,
  LIVE_MAX_QUEUED_BYTES: 1_048_576,
  LIVE_CONNECTIONS_PER_TOKEN: 1_000,
  LOG_LEVEL: 'info',
  NEWSROOM_RATE_LIMIT_WRITES: undefined,
  NEWSROOM_RATE_LIMIT_READS: undefined,
  NEWSROOM_API_URL: 'http://localhost:3000',
  NEWSROOM_TOKEN: undefined,
};

describe('the environment', () => {
  it('has a case for every variable the schema reads', () => {
    expect(Object.keys(CASES).sort()).toEqual(Object.keys(environmentSchema.shape).sort());
  });

  describe.each(Object.keys(CASES) as Variable[])('%s', (name) => {
    it('when unset or blank, then it reads as its default', () => {
      for (const unset of [undefined, '', '   ']) expect(read(name, unset)).toEqual(DEFAULTS[name]);
    });

    it('when set to a value it accepts, then it reads as that value, typed', () => {
      for (const [value, expected] of CASES[name].good) expect(read(name, value)).toEqual(expected);
    });

    if (CASES[name].bad.length > 0) {
      it('when set to a value it refuses, then start-up stops with one line naming it and what it accepts', () => {
        for (const [value, line] of CASES[name].bad) expect(refusal(name, value)).toEqual([line]);
      });
    }
  });

  it('when several variables are bad, then each gets its line, and a variable the program does not read is not checked', () => {
    expect(() => readEnvironment('store', { PORT: 'not-a-port', EMBEDDED_STORE_PORT: '2113' })).not.toThrow();
    let lines: readonly string[] = [];
    try {
      readEnvironment('api', { PORT: 'x', HOST: 'not a host', NEWSROOM_API_URL: 'not read by the api' });
    } catch (error) {
      lines = (error as ConfigError).lines;
    }
    expect(lines).toEqual([PORT_LINE('PORT', 'x'), HOST_LINE('HOST', 'not a host')]);
  });

  it("a command-line option that stands for a variable is read by the variable's rules, named as the option", () => {
    expect(readOption('EMBEDDED_STORE_PORT', '--port', '0')).toBe(0);
    expect(readOption('EMBEDDED_STORE_PORT', '--port', ' ')).toBe(2113);
    expect(() => readOption('EMBEDDED_STORE_PORT', '--port', 'abc')).toThrow(new ConfigError([PORT_LINE('--port', 'abc')]));
  });

  it('never shows the password of a connection string', () => {
    expect(redactConnectionString('esdb://admin:changeit@db:2113?tls=true')).toBe('esdb://admin:***@db:2113?tls=true');
  });
});
