// Hundreds of malformed reads, generated from a fixed seed (fast-check) so a failure replays
// exactly: unknown query parameters (the names every object has among them), bad and repeated
// values, revisions a story never reached, and methods a known route does not take. Each must
// get its 4xx as Problem Details with the one code for its kind, none a 5xx, and the log must
// end exactly as it began.
import fc from 'fast-check';
import { MAX_IDENTIFIER_LENGTH, SEED_STORY_EVENTS } from '@newsroom/domain';
import { TOKENS, markLog, postEvents, send, type Answer, useNewsroom } from './support/api.harness';
import { checkAll, problemDetailsFaults } from './support/bad-requests';

jest.setTimeout(120_000);

const SEED = 20_251_204;
const REQUESTS = 800;
const IN_FLIGHT = 8;

const STORY = 'bad-query-story';
/** The seed story's last revision: five events. */
const HEAD = SEED_STORY_EVENTS.length - 1;

interface BadQuery {
  /** What is wrong with it, for the failure list. */
  fault: string;
  method: string;
  /** Path and query string, as sent. */
  path: string;
  expected: number;
  code: string;
  /** For INVALID_QUERY: the parameter the answer must name. */
  parameter?: string;
  /** For 405: the methods the answer must allow. */
  allow?: string[];
}

// ------------------------------------------------------------ the read routes and their parameters

interface Route {
  readonly path: string;
  readonly parameters: readonly string[];
}

const READS: readonly Route[] = [
  { path: '/stories', parameters: ['status', 'company', 'outlet', 'language', 'updatedSince', 'cursor', 'limit', 'minPosition'] },
  { path: `/stories/${STORY}`, parameters: ['minPosition', 'asOf', 'atRevision'] },
  { path: `/stories/${STORY}/timeline`, parameters: ['minPosition', 'order'] },
  { path: `/stories/${STORY}/history`, parameters: ['minPosition'] },
  { path: '/companies/ford', parameters: ['minPosition'] },
  { path: '/admin/projections', parameters: ['minPosition'] },
  // Refused before the stream opens: a valid query here would stream forever, and none is generated.
  { path: '/stream', parameters: ['minPosition', 'storyId'] },
];

/** A well-formed value of each parameter, to repeat or to send beside a bad one. */
const GOOD: Record<string, string> = {
  status: 'denied',
  company: 'ford',
  outlet: 'Financial Times',
  language: 'en',
  updatedSince: '2025-01-01T00:00:00Z',
  cursor: '1',
  limit: '5',
  minPosition: '0',
  asOf: '2030-01-01T00:00:00Z',
  atRevision: '0',
  order: 'happened',
  storyId: STORY,
};

const BAD_TIMES = ['', 'yesterday', '2025-13-01T10:00:00Z', '2025-02-30T10:00:00Z', '2025-03-01', '2025-03-01 10:00', 'NaN', '1740823200000'];
const BAD_IDS = ['', 'not a slug', 'ford/xiaomi', 'x'.repeat(MAX_IDENTIFIER_LENGTH + 1), 'forđ', '..%2F'];
const BAD: Record<string, readonly string[]> = {
  status: ['', 'bogus', 'denied ', 'retract', 'denied,reported'],
  company: BAD_IDS,
  outlet: ['x'.repeat(201)],
  language: ['', 'en_US', '-en', 'en--us', 'x'.repeat(40), '*'],
  updatedSince: BAD_TIMES,
  cursor: ['', 'abc', '-1', '1'.repeat(21), '1.5'],
  limit: ['', '-1', '0', '501', '1000', 'ten', '1e2', '1.5', ' 5', '0x10', '99999999999'],
  minPosition: ['', '-1', 'x', '1.5', '18446744073709551616', '1'.repeat(21), ' 1'],
  asOf: BAD_TIMES,
  atRevision: ['', '-1', '1.5', 'x', '1e3', '99999999999'],
  order: ['', 'random', 'HAPPENED', 'recorded '],
  storyId: BAD_IDS,
};

/** Names no read declares: every member name a plain object has, and near misses of real ones. */
const UNKNOWN_NAMES = [
  ...Object.getOwnPropertyNames(Object.prototype),
  'foo',
  'Status',
  'LIMIT',
  'min_position',
  'minposition',
  'storyid',
  'a[b]',
  '__proto__[x]',
  'prototype',
  'then',
  'length',
  '0',
];

const query = (pairs: readonly (readonly [string, string])[]): string =>
  pairs.map(([name, value]) => `${encodeURIComponent(name)}=${encodeURIComponent(value)}`).join('&');

const invalidQuery = (fault: string, path: string, parameter: string): BadQuery => ({
  fault,
  method: 'GET',
  path,
  expected: 400,
  code: 'INVALID_QUERY',
  parameter,
});

const route = fc.constantFrom(...READS);
const routeAndParameter = route.chain((r) => fc.constantFrom(...r.parameters).map((parameter) => ({ route: r, parameter })));

const cases: fc.Arbitrary<BadQuery>[] = [
  // An unknown name, alone or beside a good parameter, with any value.
  fc.tuple(route, fc.constantFrom(...UNKNOWN_NAMES), fc.constantFrom('1', '', 'x', 'constructor'), fc.boolean()).map(([r, name, value, beside]) => {
    const good = beside && r.path !== '/stream' ? [[r.parameters[0]!, GOOD[r.parameters[0]!]!] as const] : [];
    return invalidQuery(`${r.path} ?${name}=${value}`, `${r.path}?${query([...good, [name, value]])}`, name);
  }),
  // Built-in names written so that only decoding reveals them, or with no value at all.
  fc.tuple(route, fc.constantFrom('%63onstructor=1', 'toString', 'valueOf=', '__proto__=1', 'constructor=1&constructor=2')).map(([r, raw]) => {
    const name = decodeURIComponent(raw.split('=')[0]!);
    return invalidQuery(`${r.path} ?${raw}`, `${r.path}?${raw}`, name);
  }),
  // A known parameter with a malformed or out-of-range value.
  routeAndParameter.chain(({ route: r, parameter }) =>
    fc
      .constantFrom(...BAD[parameter]!)
      .map((value) => invalidQuery(`${r.path} ?${parameter}=${JSON.stringify(value).slice(0, 40)}`, `${r.path}?${query([[parameter, value]])}`, parameter)),
  ),
  // A known parameter given twice, even with good values.
  routeAndParameter.map(({ route: r, parameter }) =>
    invalidQuery(
      `${r.path} ?${parameter} twice`,
      `${r.path}?${query([
        [parameter, GOOD[parameter]!],
        [parameter, GOOD[parameter]!],
      ])}`,
      parameter,
    ),
  ),
  // A parameter of another read.
  fc
    .constantFrom<[string, string]>(
      ['/stories', 'atRevision'],
      ['/stories', 'order'],
      [`/stories/${STORY}`, 'limit'],
      [`/stories/${STORY}/timeline`, 'status'],
      ['/companies/ford', 'cursor'],
      ['/stream', 'company'],
    )
    .map(([path, parameter]) => invalidQuery(`${path} ?${parameter} (another read's)`, `${path}?${query([[parameter, GOOD[parameter]!]])}`, parameter)),
  // A revision the story never reached.
  fc.oneof(fc.integer({ min: HEAD + 1, max: HEAD + 20 }), fc.integer({ min: HEAD + 21, max: 9_999_999_999 })).map((revision) => ({
    fault: `atRevision=${revision} beyond the head`,
    method: 'GET',
    path: `/stories/${STORY}?atRevision=${revision}`,
    expected: 404,
    code: 'REVISION_NOT_FOUND',
  })),
  // A known route asked with a method it does not take.
  fc
    .constantFrom<[string, string[]]>(
      [`/stories/${STORY}/events`, ['POST']],
      [`/stories/${STORY}`, ['GET', 'HEAD']],
      ['/stories', ['GET', 'HEAD']],
      [`/stories/${STORY}/timeline`, ['GET', 'HEAD']],
      [`/stories/${STORY}/history`, ['GET', 'HEAD']],
      ['/companies/ford', ['GET', 'HEAD']],
      ['/stream', ['GET', 'HEAD']],
      ['/admin/projections', ['GET', 'HEAD']],
    )
    .chain(([path, allow]) =>
      fc.constantFrom(...['GET', 'POST', 'PUT', 'PATCH', 'DELETE'].filter((m) => !allow.includes(m))).map((method) => ({
        fault: `${method} ${path}`,
        method,
        path,
        expected: 405,
        code: 'METHOD_NOT_ALLOWED',
        allow,
      })),
    ),
  // A path no route has, in any method, stays 404.
  fc
    .tuple(fc.constantFrom('GET', 'POST', 'DELETE'), fc.constantFrom(`/stories/${STORY}/nothing`, '/companies', '/stories/a/b/c', '/streams'))
    .map(([method, path]) => ({
      fault: `${method} ${path}`,
      method,
      path,
      expected: 404,
      code: 'NOT_FOUND',
    })),
];

function generate(): BadQuery[] {
  return fc.sample(fc.oneof(...cases), { seed: SEED, numRuns: REQUESTS });
}

// ------------------------------------------------------------ the run

const newsroom = useNewsroom();

function problemsWith(request: BadQuery, answer: Answer): string[] {
  const found = problemDetailsFaults(answer, [request.expected]);
  if (found.includes('not Problem Details')) return found;
  const body = answer.body as { code: string; errors?: { parameter?: unknown }[] };
  if (body.code !== request.code) found.push(`code ${body.code}, expected ${request.code}`);
  if (request.parameter !== undefined && !(body.errors ?? []).some((error) => error.parameter === request.parameter)) {
    found.push(`errors name no ${JSON.stringify(request.parameter)}`);
  }
  if (request.allow !== undefined) {
    const allow = (answer.headers.get('allow') ?? '')
      .split(',')
      .map((m) => m.trim())
      .filter(Boolean)
      .sort();
    if (JSON.stringify(allow) !== JSON.stringify([...request.allow].sort()))
      found.push(`Allow ${answer.headers.get('allow')}, expected ${request.allow.join(', ')}`);
  }
  return found;
}

beforeAll(async () => {
  const posted = await postEvents(newsroom, STORY, [...SEED_STORY_EVENTS]);
  expect(posted.status).toBe(201);
});

it(`refuses ${REQUESTS} generated malformed reads with their 4xx as Problem Details, one code per kind, and writes nothing`, async () => {
  const requests = generate();
  const kinds = new Set(requests.map((r) => r.code));
  expect([...kinds].sort()).toEqual(['INVALID_QUERY', 'METHOD_NOT_ALLOWED', 'NOT_FOUND', 'REVISION_NOT_FOUND']);
  const before = await markLog(newsroom.client);

  // The auditor may ask every read (asOf, atRevision, history and admin included).
  const failures = await checkAll(requests, IN_FLIGHT, async (request) => {
    const answer = await send(newsroom, request.method, request.path, undefined, { token: TOKENS.auditor });
    return { faults: problemsWith(request, answer), answer };
  });

  const after = await markLog(newsroom.client);
  expect(failures.slice(0, 40)).toEqual([]);
  expect(failures).toHaveLength(0);
  expect(after).toEqual(before);
});

it('generates the same requests from the same seed', () => {
  const describe = (requests: BadQuery[]) => requests.map((r) => `${r.method} ${r.path}`);
  expect(describe(generate())).toEqual(describe(generate()));
});

it('answers a built-in member name as it answers any unknown name', async () => {
  for (const name of ['constructor', 'toString', 'foo']) {
    const answer = await send(newsroom, 'GET', `/stories?${name}=1`, undefined, { token: TOKENS.reader });
    expect({ name, status: answer.status, body: answer.body }).toEqual({
      name,
      status: 400,
      body: expect.objectContaining({ code: 'INVALID_QUERY', errors: [{ parameter: name, detail: `${name} is not a parameter of this request` }] }),
    });
  }
});

it('answers limit=-1 and limit=501 with the same code', async () => {
  const codes = await Promise.all(
    ['-1', '501', '0', 'ten'].map(async (limit) => (await send(newsroom, 'GET', `/stories?limit=${limit}`, undefined, { token: TOKENS.reader })).body.code),
  );
  expect(codes).toEqual(['INVALID_QUERY', 'INVALID_QUERY', 'INVALID_QUERY', 'INVALID_QUERY']);
});

it('answers GET on the intake route with 405 and Allow: POST, and POST on a story with 405 and Allow: GET, HEAD', async () => {
  const get = await send(newsroom, 'GET', `/stories/${STORY}/events`, undefined, { token: TOKENS.reader });
  expect({ status: get.status, allow: get.headers.get('allow'), code: get.body?.code }).toEqual({ status: 405, allow: 'POST', code: 'METHOD_NOT_ALLOWED' });
  const post = await send(newsroom, 'POST', `/stories/${STORY}`, {}, { token: TOKENS.writer });
  expect({ status: post.status, allow: post.headers.get('allow'), code: post.body?.code }).toEqual({
    status: 405,
    allow: 'GET, HEAD',
    code: 'METHOD_NOT_ALLOWED',
  });
});
