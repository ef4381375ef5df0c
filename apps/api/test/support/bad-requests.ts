// What the generated bad-request suites share: sending many requests a few at a time, and
// telling whether an answer is the refusal the spec asks for.
import type { Answer } from './api.harness';

/**
 * Runs `check` on every request with at most `inFlight` running at once, and gathers the
 * faults it reports, each prefixed with the request's index and fault.
 */
export async function checkAll<T extends { fault: string }>(
  requests: readonly T[],
  inFlight: number,
  check: (request: T, index: number) => Promise<{ faults: string[]; answer: Answer }>,
): Promise<string[]> {
  const failures: string[] = [];
  let next = 0;
  const worker = async () => {
    while (next < requests.length) {
      const index = next++;
      const request = requests[index]!;
      const { faults, answer } = await check(request, index);
      if (faults.length > 0) failures.push(`#${index} ${request.fault}: ${faults.join('; ')} — ${answer.text.slice(0, 200)}`);
    }
  };
  await Promise.all(Array.from({ length: inFlight }, worker));
  return failures;
}

/** What keeps an answer from being a Problem Details refusal with one of the expected statuses (none a 5xx). */
export function problemDetailsFaults(answer: Answer, expected: readonly number[]): string[] {
  const found: string[] = [];
  if (!expected.includes(answer.status)) found.push(`status ${answer.status}, expected ${expected.join(' or ')}`);
  if (answer.status >= 500) found.push('a 5xx');
  if (!/^application\/problem\+json\b/.test(answer.headers.get('content-type') ?? '')) found.push(`content-type ${answer.headers.get('content-type')}`);
  const body = answer.body as { type?: unknown; title?: unknown; status?: unknown; code?: unknown } | undefined;
  if (!body || typeof body.type !== 'string' || typeof body.title !== 'string' || body.status !== answer.status || typeof body.code !== 'string') {
    found.push('not Problem Details');
  }
  return found;
}
