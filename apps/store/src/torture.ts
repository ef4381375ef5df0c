import { parseArgs } from 'node:util';
import { runCrashScenario, type RoundReport } from './crash.scenario';

/**
 * `npm run torture:store -- --rounds N`: the crash test's scenario for as many
 * rounds as asked, outside jest. Exit code 1 on any durability violation.
 */

const USAGE = `usage: npm run torture:store -- [--rounds N] [--appenders N] [--max-run-ms MS] [--dir PARENT]`;

function positiveInt(value: string | undefined, fallback: number, name: string): number {
  if (value === undefined) return fallback;
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 1) throw new Error(`--${name} must be a positive integer\n${USAGE}`);
  return parsed;
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      rounds: { type: 'string' },
      appenders: { type: 'string' },
      'max-run-ms': { type: 'string' },
      dir: { type: 'string' },
      help: { type: 'boolean' },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const rounds = positiveInt(values.rounds, 20, 'rounds');
  const appenders = positiveInt(values.appenders, 24, 'appenders');
  const maxRunMs = positiveInt(values['max-run-ms'], 1_500, 'max-run-ms');
  const width = String(rounds).length;
  console.log(`torture: ${rounds} rounds, ${appenders} concurrent appenders, SIGKILL within ${maxRunMs} ms of each round's first acknowledgement`);

  const summary = await runCrashScenario({
    rounds,
    appenders,
    maxRunMs,
    parentDir: values.dir,
    onRound: (r: RoundReport) => {
      const startup = r.killedDuringStartup ? ' +startup kill' : '';
      console.log(
        `round ${String(r.round).padStart(width)}/${rounds}  ${r.writePath.padEnd(11)}  SIGKILL ${String(r.killedAfterMs).padStart(4)} ms after the first ack${startup}  ` +
          `acked ${r.appendsAcked} appends (${r.eventsAcked} events), refused ${r.appendsRefused}  ` +
          `in flight at the kill ${r.inflightAtKill}: ${r.inflightLanded} landed, ${r.inflightAbsent} absent  ` +
          `verified ${r.eventsVerified} events  ${r.violations.length === 0 ? 'ok' : `${r.violations.length} VIOLATIONS`}  (${r.durationMs} ms)`,
      );
      for (const violation of r.violations) console.log(`  ✗ ${violation}`);
    },
  });

  console.log(
    `\n${summary.rounds} rounds in ${(summary.durationMs / 1000).toFixed(1)} s: ` +
      `${summary.appendsAcked} appends acknowledged (${summary.eventsAcked} events), ` +
      `${summary.eventsVerified} event checks after restarts, ` +
      `in flight at kills: ${summary.inflightLanded} landed whole, ${summary.inflightAbsent} absent`,
  );
  if (summary.violations.length > 0) {
    console.log(`${summary.violations.length} violation(s); data kept in ${summary.dataDir}`);
    for (const violation of summary.violations) console.log(`  ✗ ${violation}`);
    return 1;
  }
  console.log('no violation: every acknowledged event survived every kill, in order, once');
  return 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(2);
  },
);
