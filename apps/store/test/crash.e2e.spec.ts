import { runCrashScenario, type RoundReport } from '../src/crash.scenario';

// The store as a child process on a data directory, under concurrent appenders
// through the real client, SIGKILLed at random moments and restarted: every
// acknowledged event is still there after each restart, in its stream at its
// revision and in $all, in order, once; appends in flight at a kill are there
// whole or not at all. `npm run torture:store -- --rounds N` runs more rounds.

jest.setTimeout(120_000);

describe('store crash safety (kill -9)', () => {
  it('keeps every acknowledged event through 10 SIGKILLs under 24 concurrent appenders', async () => {
    const rounds: RoundReport[] = [];

    const summary = await runCrashScenario({ rounds: 10, appenders: 24, maxRunMs: 1_000, onRound: (r) => rounds.push(r) });

    expect(summary.violations).toEqual([]);
    expect(summary.rounds).toBe(10);
    // Every kill hit a store under load, with appends in flight.
    expect(rounds.every((r) => r.appendsAcked > 0)).toBe(true);
    expect(rounds.filter((r) => r.inflightAtKill > 0).length).toBeGreaterThanOrEqual(5);
  });
});
