// `npm run demo`: posts the seed story (the Financial Times report of Ford–Xiaomi
// joint-venture talks, the Indonesian follow-up, both denials) to a running api, one event
// at a time, and prints what was recorded.
import { readEnvironmentOrExit } from '@newsroom/config';
import { runDemo } from './demo.runner';

// Piped into `head`, stdout closes early: that is the reader's choice, not a failure.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw error;
});

const config = readEnvironmentOrExit('demo');
runDemo({
  apiUrl: config.NEWSROOM_API_URL,
  token: config.NEWSROOM_TOKEN,
  out: (line) => process.stdout.write(`${line}\n`),
}).then(
  (outcome) => {
    process.exitCode = outcome.ok ? 0 : 1;
  },
  (error: unknown) => {
    process.stderr.write(`demo failed: ${error instanceof Error ? error.stack : String(error)}\n`);
    process.exitCode = 1;
  },
);
