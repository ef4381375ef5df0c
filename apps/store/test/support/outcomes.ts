import type { AllStreamResolvedEvent, Position, ResolvedEvent, StreamingRead } from '@eventstore/db-client';

/** The rejection of a promise that must reject; fails the test if it resolves instead. */
export async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  const outcome = await promise.then(
    (value) => ({ rejected: false as const, value }),
    (error: unknown) => ({ rejected: true as const, error }),
  );
  if (!outcome.rejected) throw new Error(`expected a rejection, got ${show(outcome.value)}`);
  return outcome.error;
}

function show(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => (typeof v === 'bigint' ? `${v}n` : v));
}

/**
 * Fails with `what` if the promise has not settled after `ms`: several store
 * mistakes leave a client call pending for ever (esdb-wire.md 11), and a
 * named failure says more than jest's generic timeout.
 */
export async function settlesWithin<T>(promise: Promise<T>, what: string, ms = 5_000): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: still pending after ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** Drains a read into an array (the read's error, e.g. StreamNotFoundError, rejects). */
export async function collect<E extends ResolvedEvent | AllStreamResolvedEvent>(read: StreamingRead<E>): Promise<E[]> {
  const events: E[] = [];
  for await (const resolved of read) events.push(resolved);
  return events;
}

/** Orders `$all` positions as a real server does: by commit, then prepare. */
export function comparePositions(a: Position, b: Position): number {
  if (a.commit !== b.commit) return a.commit < b.commit ? -1 : 1;
  if (a.prepare !== b.prepare) return a.prepare < b.prepare ? -1 : 1;
  return 0;
}

export function isStrictlyIncreasing(positions: readonly Position[]): boolean {
  return positions.every((p, i) => i === 0 || comparePositions(positions[i - 1], p) < 0);
}
