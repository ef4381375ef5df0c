// `npm run replay` and `npm run demo` with a variable they cannot use: each stops before it
// connects to anything, with one line naming the variable and what it accepts.
import { runProgramToExit } from '../../api/test/support/api.program';

jest.setTimeout(60_000);

it('given EMBEDDED_STORE_PORT=not-a-port, when the replay starts, then it exits 2 with one line naming the variable', async () => {
  const run = await runProgramToExit('apps/cli/src/replay.ts', [], { EMBEDDED_STORE_PORT: 'not-a-port' });

  expect(run).toEqual({ code: 2, stdout: '', stderr: 'replay: EMBEDDED_STORE_PORT must be a port number (0 to 65535), got "not-a-port"\n' });
});

it('given an EVENTSTORE_CONNECTION_STRING that is no esdb:// address, when the replay starts, then its line hides the password', async () => {
  const run = await runProgramToExit('apps/cli/src/replay.ts', [], { EVENTSTORE_CONNECTION_STRING: 'https://admin:s3cret@db.example:2113' });

  expect(run).toEqual({
    code: 2,
    stdout: '',
    stderr:
      'replay: EVENTSTORE_CONNECTION_STRING must be an EventStoreDB connection string (esdb://host:2113?tls=false, esdb+discover://…), got "https://admin:***@db.example:2113"\n',
  });
});

it('given NEWSROOM_API_URL=localhost:3000 (no scheme), when the demo starts, then it exits 2 with one line naming the variable', async () => {
  const run = await runProgramToExit('apps/cli/src/demo.ts', [], { NEWSROOM_API_URL: 'localhost:3000' });

  expect(run).toEqual({ code: 2, stdout: '', stderr: 'demo: NEWSROOM_API_URL must be an http(s) URL (http://localhost:3000), got "localhost:3000"\n' });
});
