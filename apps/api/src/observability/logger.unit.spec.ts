import { Writable } from 'node:stream';
import { createLogger, levelOfNestLevels, parseLogLevel } from './logger';
import { PinoNestLogger } from './pino-nest.logger';

function capture() {
  const lines: Record<string, unknown>[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString().split('\n')) if (line !== '') lines.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  return { lines, destination };
}

describe('the api logger', () => {
  it('given a line carrying an Authorization header, then the header is redacted', () => {
    const { lines, destination } = capture();
    const logger = createLogger({ level: 'info', destination });
    logger.info({ req: { headers: { authorization: 'Bearer s3cret-token' } }, headers: { authorization: 'Bearer s3cret-token' } }, 'with headers');
    expect(JSON.stringify(lines)).not.toContain('s3cret-token');
    expect(lines[0]).toEqual(expect.objectContaining({ req: { headers: { authorization: '[redacted]' } }, headers: { authorization: '[redacted]' } }));
  });

  it("given Nest's logger over it, when an error with a cause is logged, then the line holds the cause chain and the context", () => {
    const { lines, destination } = capture();
    const nest = new PinoNestLogger(createLogger({ level: 'info', destination }));
    const root = new Error('disk full');
    nest.error({ msg: 'append failed', err: new Error('the store failed', { cause: root }) }, undefined, 'Problem');
    expect(lines[0]).toEqual(
      expect.objectContaining({
        level: 50,
        msg: 'append failed',
        context: 'Problem',
        err: expect.objectContaining({ message: 'the store failed', cause: expect.objectContaining({ message: 'disk full' }) }),
      }),
    );
  });

  it("given Nest's plain calls, then the message, the context and the level come through, and lines under the level are dropped", () => {
    const { lines, destination } = capture();
    const nest = new PinoNestLogger(createLogger({ level: 'warn', destination }));
    nest.log('mapped a route', 'RoutesResolver');
    nest.warn('store dropped', 'Projections');
    nest.error('boom', 'Error: boom\n    at here', 'Main');
    expect(lines).toEqual([
      expect.objectContaining({ level: 40, msg: 'store dropped', context: 'Projections' }),
      expect.objectContaining({ level: 50, msg: 'boom', context: 'Main', stack: 'Error: boom\n    at here' }),
    ]);
  });
});

describe('LOG_LEVEL', () => {
  it('takes pino levels in any case, defaults to info, and refuses anything else naming the variable', () => {
    expect(parseLogLevel(undefined)).toBe('info');
    expect(parseLogLevel(' ')).toBe('info');
    expect(parseLogLevel('DEBUG')).toBe('debug');
    expect(parseLogLevel('silent')).toBe('silent');
    expect(() => parseLogLevel('loud')).toThrow(/^LOG_LEVEL must be one of trace, debug, info, warn, error, fatal, silent, got "loud"$/);
  });

  it("maps the tests' Nest levels to pino's most verbose one they name", () => {
    expect(levelOfNestLevels(false)).toBe('silent');
    expect(levelOfNestLevels(['error', 'warn'])).toBe('warn');
    expect(levelOfNestLevels(['error'])).toBe('error');
    expect(levelOfNestLevels(['log', 'error'])).toBe('info');
  });
});
