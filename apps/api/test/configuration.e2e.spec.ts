// `npm start` with a variable it cannot use: the api stops before it opens anything, with
// one line that names the variable and what it accepts, never echoing a token.
import { runProgramToExit } from './support/api.program';

jest.setTimeout(60_000);

const MAIN = 'apps/api/src/main.ts';

it('given PORT=not-a-port, when the api starts, then it exits 2 with one line naming PORT and what it accepts', async () => {
  const run = await runProgramToExit(MAIN, [], { PORT: 'not-a-port' });

  expect(run).toEqual({ code: 2, stdout: '', stderr: 'api: PORT must be a port number (0 to 65535), got "not-a-port"\n' });
});

it('given a malformed NEWSROOM_TOKENS and a bad HOST, when the api starts, then each gets its one line and no token is shown', async () => {
  const run = await runProgramToExit(MAIN, [], { PORT: '0', HOST: 'not a host', NEWSROOM_TOKENS: 'desk-s3cret=writer,audit-s3cret=editor' });

  expect(run.code).toBe(2);
  expect(run.stderr.split('\n')).toEqual([
    'api: HOST must be an IP address or a host name (127.0.0.1, 0.0.0.0, ::, localhost), got "not a host"',
    'api: NEWSROOM_TOKENS must be token=role+role entries separated by commas (roles: writer, reader, auditor, metrics); entry 2: unknown role "editor"',
    '',
  ]);
  expect(run.stderr + run.stdout).not.toContain('s3cret');
});
