// Over a thousand malformed requests, generated from a fixed seed (fast-check) so a failure
// replays exactly: each must get its 4xx as Problem Details, none a 5xx, and the log must
// end exactly as it began.
import { request as httpRequest } from 'node:http';
import fc from 'fast-check';
import {
  MAX_CLAIMS_PER_REPORT,
  MAX_CLAIM_REFERENCES,
  MAX_EVENTS_PER_POST,
  MAX_IDENTIFIER_LENGTH,
  MAX_SUBJECTS_PER_CLAIM,
  type StoryEventType,
} from '@newsroom/domain';
import { SEED_STORY_EVENTS } from '@newsroom/domain';
import { TOKENS, markLog, send, type Answer, type PostOptions, useNewsroom } from './support/api.harness';

jest.setTimeout(120_000);

const SEED = 20_251_121;
const REQUESTS = 1_500;
const IN_FLIGHT = 8;

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type Body = { type: string; data: Record<string, Json> };

interface BadRequest {
  /** What is wrong with it, for the failure list. */
  fault: string;
  method: string;
  /** Where it goes; by default the events of a story of its own, so one accepted by mistake shows as a write. */
  path?: string;
  body: Json | string | Uint8Array | undefined;
  options: PostOptions;
  /** Sent byte for byte, as curl --path-as-is does: fetch would resolve `.` and `..` segments away. */
  rawPath?: boolean;
  /** The statuses the spec allows for this fault (one where it names it). */
  expected: number[];
}

// ------------------------------------------------------------ well-formed events to break

const seedOf = (type: StoryEventType): Body => {
  const event = SEED_STORY_EVENTS.find((e) => e.type === type);
  if (!event) throw new Error(`the seed story has no ${type}`);
  return JSON.parse(JSON.stringify(event)) as Body;
};
const report = seedOf('ReportPublished');
const denial = seedOf('CompanyDenied');
const claimId = (report.data.claims as { claimId: string }[])[0].claimId;

// The seed story holds no confirmation, correction or retraction: well-formed ones about its report.
const VALID: Record<StoryEventType, Body> = {
  ReportPublished: report,
  SourceCited: seedOf('SourceCited'),
  CompanyDenied: denial,
  CompanyConfirmed: {
    type: 'CompanyConfirmed',
    data: {
      companyId: denial.data.companyId,
      companyName: denial.data.companyName,
      statement: 'We confirm the talks.',
      language: 'en',
      confirmedAt: '2025-03-05T10:00:00Z',
      confirms: [claimId],
    },
  },
  ReportCorrected: {
    type: 'ReportCorrected',
    data: { reportId: report.data.reportId, correction: 'An earlier version misnamed the venue.', correctedAt: '2025-03-05T10:00:00Z' },
  },
  ReportRetracted: { type: 'ReportRetracted', data: { reportId: report.data.reportId, reason: 'The sources withdrew.', retractedAt: '2025-03-05T10:00:00Z' } },
};

type FieldKind = 'id' | 'text' | 'url' | 'language' | 'time' | 'ids' | 'claims' | 'kind' | 'count';
const FIELDS: Record<StoryEventType, Record<string, FieldKind>> = {
  ReportPublished: {
    reportId: 'id',
    outlet: 'text',
    headline: 'text',
    url: 'url',
    language: 'language',
    publishedAt: 'time',
    claims: 'claims',
    followsReportId: 'id',
  },
  SourceCited: { reportId: 'id', sourceId: 'id', kind: 'kind', description: 'text', count: 'count', supports: 'ids' },
  CompanyDenied: { companyId: 'id', companyName: 'text', statement: 'text', language: 'language', deniedAt: 'time', refutes: 'ids', reportedIn: 'id' },
  CompanyConfirmed: { companyId: 'id', companyName: 'text', statement: 'text', language: 'language', confirmedAt: 'time', confirms: 'ids', reportedIn: 'id' },
  ReportCorrected: { reportId: 'id', correction: 'text', correctedAt: 'time' },
  ReportRetracted: { reportId: 'id', reason: 'text', retractedAt: 'time' },
};
const OPTIONAL = new Set(['url', 'followsReportId', 'count', 'reportedIn']);
const required = (type: StoryEventType) => Object.keys(FIELDS[type]).filter((f) => !OPTIONAL.has(f));

// ------------------------------------------------------------ arbitraries

const eventType = fc.constantFrom(...(Object.keys(VALID) as StoryEventType[]));
const typedField = eventType.chain((type) => fc.constantFrom(...Object.keys(FIELDS[type])).map((field) => ({ type, field, kind: FIELDS[type][field] })));

const withField = (type: StoryEventType, field: string, value: Json | undefined): Body => {
  const body = JSON.parse(JSON.stringify(VALID[type])) as Body;
  if (value === undefined) delete body.data[field];
  else body.data[field] = value;
  return body;
};

// Values of the wrong JSON type for each kind of field, null included: an optional field is
// left out or given a value, never null.
const wrongTypeFor = (kind: FieldKind): fc.Arbitrary<Json> => {
  const scalars: Json[] = [true, false, 0, -1, 3.5, 1e308, {}, { value: 'x' }];
  const notArrays: Json[] = ['ford', 7, true, { 0: 'ford' }];
  const values: Json[] = {
    id: [...scalars, ['ford']],
    text: [...scalars, ['text']],
    url: [...scalars, ['https://example.com']],
    language: [...scalars, ['en']],
    time: [...scalars, [2025, 3, 1], 1_740_823_200_000],
    ids: [...notArrays, [1, 2], [null], [{ claimId }], [['nested']]],
    claims: [...notArrays, [claimId], [1], [null], [[{ claimId }]]],
    kind: [...scalars, ['anonymous']],
    count: ['4', '2', 'four', true, [4], { n: 4 }, 2.5],
  }[kind];
  return fc.constantFrom(...values, null);
};

const hugeString = fc.integer({ min: 10_000, max: 300_000 }).map((n) => 'x'.repeat(n));
/**
 * Nesting thousands of levels deep, kept as its JSON text: JSON.stringify on this side
 * would overflow the stack before the api ever saw it.
 */
class Deep {
  constructor(
    readonly depth: number,
    readonly asObject: boolean,
  ) {}

  text(): string {
    const [open, close] = this.asObject ? ['{"nested":', '}'] : ['[', ']'];
    return `${open.repeat(this.depth)}"bottom"${close.repeat(this.depth)}`;
  }
}
const deepValue = fc.tuple(fc.integer({ min: 40, max: 6_000 }), fc.boolean()).map(([depth, asObject]) => new Deep(depth, asObject) as unknown as Json);

/** The body's JSON text, deep values spliced in where they stand. */
function serialise(body: BadRequest['body']): string | Uint8Array | undefined {
  if (body === undefined || typeof body === 'string' || body instanceof Uint8Array) return body;
  const deepTexts: string[] = [];
  const text = JSON.stringify(body, (_key, value: unknown) => (value instanceof Deep ? `\u0000deep${deepTexts.push(value.text()) - 1}` : value));
  return text.replace(/"\\u0000deep(\d+)"/g, (_match, index: string) => deepTexts[Number(index)] as string);
}

const BAD_IDS = [
  '',
  ' ',
  'ford xiaomi',
  'ford/xiaomi',
  'ford#1',
  'forđ',
  'ford\u0000',
  '../etc',
  'a?b',
  'ford%20',
  'x'.repeat(MAX_IDENTIFIER_LENGTH + 1),
  '\u{1F697}',
  '.',
  '..',
  '...',
];
// Beyond any clock skew the api tolerates (24 hours by default).
const FUTURE_TIMES = ['2099-01-01T00:00:00Z', '9999-12-31T23:59:59Z', '2099-06-01T10:00:00+07:00'];
const BAD_TIMES = [
  '',
  'yesterday',
  '2025-13-01T10:00:00Z',
  '2025-02-30T10:00:00Z',
  '2025-03-01T25:00:00Z',
  '01/03/2025',
  '2025-03-01 10:00',
  'T10:00:00Z',
  '2025-03-01T10:00:00+25:00',
  '20250301T1000Z?',
  'NaN',
  ...FUTURE_TIMES,
];
// Well-formed or not, none is made of subtags IANA registered.
const BAD_LANGUAGES = ['', 'en US', '12', 'a', '-en', 'en-', 'en--us', 'x'.repeat(40), 'en_US!', 'ąę', '*', 'zz', 'english', 'en-UK', 'xx-YY', 'qqq'];
// Blank once trimmed, or holding control characters or half a character (a lone surrogate).
const BAD_TEXTS = [
  '',
  ' ',
  '   ',
  '\t',
  '\n',
  '\u00a0',
  '\u3000',
  'Ford\u0000',
  'Ford\u001b[31m',
  'Ford\u0007',
  'Ford\u0008',
  'Ford\u007f',
  'Ford\u0085',
  'Ford\ud800',
  '\udc00Ford',
  'Ford \ud83d',
];
const BAD_KINDS = ['', 'Anonymous', 'rumour', 'source', 'anonymous ', 'named,document'];
const BAD_URLS = ['', 'not a url', 'ft.com/some path', 'javascript:alert(1)', 'http://', '://example.com'];
const badValueFor = (kind: FieldKind): Json[] | null =>
  ({
    id: BAD_IDS,
    time: BAD_TIMES,
    language: BAD_LANGUAGES,
    kind: BAD_KINDS,
    url: BAD_URLS,
    ids: BAD_IDS.map((id) => [id]),
    text: BAD_TEXTS,
    claims: null,
    count: null,
  })[kind];

const postCase = (fault: string, body: BadRequest['body'], expected: number[], options: PostOptions = {}): BadRequest => ({
  fault,
  method: 'POST',
  body,
  options,
  expected,
});

const cases: fc.Arbitrary<BadRequest>[] = [
  // A required field left out.
  eventType.chain((type) => fc.constantFrom(...required(type)).map((field) => postCase(`${type} without ${field}`, withField(type, field, undefined), [400]))),

  // A field of the wrong JSON type.
  typedField.chain(({ type, field, kind }) =>
    wrongTypeFor(kind).map((value) => postCase(`${type}.${field} = ${JSON.stringify(value)}`, withField(type, field, value), [400])),
  ),

  // The input rules each class of which must show up in every run, however the draw falls.
  fc
    .constantFrom(
      ...(Object.keys(FIELDS) as StoryEventType[]).flatMap((type) =>
        Object.keys(FIELDS[type])
          .filter((f) => OPTIONAL.has(f))
          .map((field) => [type, field] as const),
      ),
    )
    .map(([type, field]) => postCase(`${type}.${field} = null`, withField(type, field, null), [400])),
  fc
    .constantFrom('2', '4', '1000', '1e2')
    .map((count) => postCase(`SourceCited.count = ${JSON.stringify(count)}`, withField('SourceCited', 'count', count), [400])),
  fc
    .tuple(fc.constantFrom<StoryEventType>('ReportPublished', 'CompanyDenied', 'CompanyConfirmed'), fc.constantFrom('zz', 'english', 'en-UK', 'xx-YY', 'qqq'))
    .map(([type, language]) => postCase(`${type}.language = ${JSON.stringify(language)}`, withField(type, 'language', language), [400])),
  fc
    .tuple(
      typedField.filter(({ kind }) => kind === 'time'),
      fc.constantFrom(...FUTURE_TIMES),
    )
    .map(([{ type, field }, time]) => postCase(`${type}.${field} = ${JSON.stringify(time)}`, withField(type, field, time), [400])),

  // A field the catalogue does not know: in data, in the envelope, in a claim.
  fc
    .tuple(
      eventType,
      fc.constantFrom('extra', 'recordedBy', 'recordedAt', '__proto__x', 'Headline', 'claim_id'),
      fc.constantFrom<Json>(1, 'x', null, true, [], {}),
    )
    .map(([type, field, value]) => postCase(`${type}.data.${field} added`, { ...VALID[type], data: { ...VALID[type].data, [field]: value } }, [400])),
  fc
    .tuple(eventType, fc.constantFrom('metadata', 'id', 'revision', 'extra', 'Type'))
    .map(([type, field]) => postCase(`${type} envelope.${field} added`, { ...VALID[type], [field]: 'x' }, [400])),
  fc.constantFrom('confidence', 'language', 'sources', 'claimID').map((field) => {
    const body = withField('ReportPublished', 'claims', [{ ...(report.data.claims as Record<string, Json>[])[0], [field]: 'x' }]);
    return postCase(`claim.${field} added`, body, [400]);
  }),

  // Strings far beyond any limit (the body still under the size limit).
  fc
    .tuple(
      typedField.filter(({ kind }) => kind === 'text' || kind === 'id' || kind === 'url' || kind === 'language'),
      hugeString,
    )
    .map(([{ type, field }, value]) => postCase(`${type}.${field} of ${value.length} characters`, withField(type, field, value), [400])),

  // Deep nesting, where a string, a list of ids, or nothing at all belongs.
  fc.tuple(typedField, deepValue).map(([{ type, field }, value]) => postCase(`${type}.${field} nested deep`, withField(type, field, value), [400])),
  deepValue.map((value) => postCase('deep nesting as the whole body', value, [400])),
  fc
    .tuple(eventType, deepValue)
    .map(([type, value]) => postCase(`${type} with a deep extra field`, { ...VALID[type], data: { ...VALID[type].data, extra: value } }, [400])),

  // Bad slugs, dates, language tags, kinds and URLs in the data.
  typedField
    .filter(({ kind }) => badValueFor(kind) !== null)
    .chain(({ type, field, kind }) =>
      fc
        .constantFrom(...(badValueFor(kind) as Json[]))
        .map((value) => postCase(`${type}.${field} = ${JSON.stringify(value).slice(0, 60)}`, withField(type, field, value), [400])),
    ),
  fc
    .constantFrom(...BAD_IDS)
    .map((id) =>
      postCase(
        `claim about ${JSON.stringify(id).slice(0, 40)}`,
        withField('ReportPublished', 'claims', [{ claimId, statement: 'Talks were held.', about: [id] }]),
        [400],
      ),
    ),
  fc
    .constantFrom(...BAD_IDS)
    .map((id) =>
      postCase(
        `claimId ${JSON.stringify(id).slice(0, 40)}`,
        withField('ReportPublished', 'claims', [{ claimId: id, statement: 'Talks were held.', about: ['ford'] }]),
        [400],
      ),
    ),

  // Lists longer than the limits.
  fc.integer({ min: MAX_CLAIMS_PER_REPORT + 1, max: MAX_CLAIMS_PER_REPORT * 4 }).map((n) =>
    postCase(
      `${n} claims`,
      withField(
        'ReportPublished',
        'claims',
        Array.from({ length: n }, (_, i) => ({ claimId: `c-${i}`, statement: 'A claim.', about: ['ford'] })),
      ),
      [400],
    ),
  ),
  fc
    .integer({ min: MAX_SUBJECTS_PER_CLAIM + 1, max: MAX_SUBJECTS_PER_CLAIM * 5 })
    .map((n) =>
      postCase(
        `a claim about ${n} entities`,
        withField('ReportPublished', 'claims', [{ claimId, statement: 'A claim.', about: Array.from({ length: n }, (_, i) => `entity-${i}`) }]),
        [400],
      ),
    ),
  fc
    .tuple(
      fc.constantFrom<StoryEventType>('SourceCited', 'CompanyDenied', 'CompanyConfirmed'),
      fc.integer({ min: MAX_CLAIM_REFERENCES + 1, max: MAX_CLAIM_REFERENCES * 4 }),
    )
    .map(([type, n]) => {
      const field = Object.keys(FIELDS[type]).find((f) => FIELDS[type][f] === 'ids') as string;
      return postCase(
        `${type}.${field} of ${n} claims`,
        withField(
          type,
          field,
          Array.from({ length: n }, (_, i) => `c-${i}`),
        ),
        [400],
      );
    }),
  fc
    .integer({ min: MAX_EVENTS_PER_POST + 1, max: MAX_EVENTS_PER_POST * 3 })
    .map((n) =>
      postCase(
        `${n} events in one post`,
        [
          VALID.ReportPublished as unknown as Json,
          ...Array.from({ length: n - 1 }, (_, i) => ({ ...VALID.SourceCited, data: { ...VALID.SourceCited.data, sourceId: `s-${i}` } })),
        ],
        [400],
      ),
    ),

  // Empty lists: nothing to record, or a report without claims (a shape or a rule: 400 or 409).
  fc.constant(postCase('an empty array of events', [], [400])),
  fc
    .constantFrom<[string, Json]>(['claims', []], ['claims', [{ claimId, statement: 'A claim.', about: [] }]])
    .map(([field, value]) =>
      postCase(`ReportPublished.${field} = ${JSON.stringify(value).slice(0, 60)}`, withField('ReportPublished', field, value), [400, 409]),
    ),

  // Not an event at all.
  fc
    .constantFrom<Json>(
      null,
      0,
      42,
      'ReportPublished',
      true,
      {},
      { type: 'ReportPublished' },
      { data: report.data },
      { type: 'Rumour', data: report.data },
      { type: 7, data: report.data },
      { type: 'ReportPublished', data: [] },
      { type: 'ReportPublished', data: 'x' },
      { type: 'reportpublished', data: report.data },
      [null],
      [1, 2],
      [[report as unknown as Json]],
    )
    .map((body) => postCase(`body ${JSON.stringify(body).slice(0, 60)}`, body, [400])),
  eventType.map((type) =>
    postCase(`${type} with another type's data`, { type, data: VALID[type === 'ReportPublished' ? 'SourceCited' : 'ReportPublished'].data }, [400]),
  ),

  // Invalid JSON.
  fc
    .constantFrom(
      '{"type": "ReportPublished", "data": {',
      "{'type': 'ReportPublished'}",
      '{"type": "ReportPublished",}',
      '[1, 2,]',
      'NaN',
      'undefined',
      '{"type": "ReportPublished" "data": {}}',
      '\u0000',
      '{"a": 01}',
      '"unterminated',
      '{"type": "ReportPublished", "data": {"headline": "\\x41"}}',
      ' ',
    )
    .map((text) => postCase(`invalid JSON ${JSON.stringify(text).slice(0, 40)}`, text, [400])),
  fc.constant(postCase('an empty body declared as JSON', '', [400])),

  // Bytes that are no UTF-8 (the one encoding of JSON), inside an event that would otherwise be recorded.
  fc
    .tuple(
      fc.constantFrom<[string, number[]]>(
        ['a latin1 é', [0xe9]],
        ['a lone continuation byte', [0x80]],
        ['a cut sequence', [0xe2, 0x82]],
        ['an overlong /', [0xc0, 0xaf]],
        ['a surrogate encoded as UTF-8', [0xed, 0xa0, 0x80]],
        ['0xff', [0xff]],
        ['a code point past U+10FFFF', [0xf4, 0x90, 0x80, 0x80]],
      ),
      fc.constantFrom('headline', 'outlet'),
    )
    .map(([[what, bytes], field]) => {
      const [before, after] = JSON.stringify(withField('ReportPublished', field, 'Ford XBYTESX talks')).split('XBYTESX') as [string, string];
      return postCase(`${what} in ReportPublished.${field}`, new Uint8Array([...Buffer.from(before), ...bytes, ...Buffer.from(after)]), [400]);
    }),

  // Not JSON at all, as far as the Content-Type says.
  fc
    .constantFrom<string | null>(
      null,
      'text/plain',
      'text/plain; charset=utf-8',
      'application/xml',
      'text/html',
      'application/x-www-form-urlencoded',
      'multipart/form-data; boundary=x',
      'application/octet-stream',
      'application/jsonx',
      'image/png',
    )
    .map((contentType) => postCase(`Content-Type ${contentType}`, JSON.stringify(VALID.ReportPublished), [415], { contentType })),

  // Far too large (rarer: megabytes each).
  fc.integer({ min: 2, max: 4 }).map((mb) => postCase(`a ${mb} MB headline`, withField('ReportPublished', 'headline', 'x'.repeat(mb * 1024 * 1024)), [413])),

  // Who is asking.
  fc
    .constantFrom<PostOptions>(
      { token: null },
      { token: 'wrong-token' },
      { token: `${TOKENS.writer}x` },
      { token: TOKENS.writer.slice(0, -1) },
      { authorization: 'Bearer' },
      { authorization: 'Bearer  ' },
      { authorization: TOKENS.writer },
      { authorization: `Basic ${Buffer.from(`${TOKENS.writer}:`).toString('base64')}` },
      { authorization: `Token ${TOKENS.writer}` },
      { authorization: `Bearer ${TOKENS.writer} extra` },
    )
    .map((options) => postCase(`authorization ${JSON.stringify(options)}`, VALID.ReportPublished as unknown as Json, [401], options)),
  fc.constantFrom(TOKENS.reader, TOKENS.auditor).map((token) => postCase(`posting as ${token}`, VALID.ReportPublished as unknown as Json, [403], { token })),

  // Story ids in the path that are no slugs.
  fc
    .constantFrom(
      'ford%20xiaomi',
      'ford!',
      'x'.repeat(MAX_IDENTIFIER_LENGTH + 1),
      'for%C3%B0',
      'a%2Fb',
      'a%00b',
      '%F0%9F%9A%97',
      'a:b',
      'a%3Fb',
      'a*',
      '(story)',
      'a%22b',
    )
    .map((storyId) => ({
      fault: `storyId ${storyId.slice(0, 40)}`,
      method: 'POST',
      path: `/stories/${storyId}/events`,
      body: VALID.ReportPublished as unknown as Json,
      options: {},
      expected: [400],
    })),

  // Methods and paths the api does not have.
  fc
    .tuple(fc.constantFrom('PUT', 'PATCH', 'DELETE'), fc.constantFrom('/stories/fresh/events', '/stories/fresh', '/stories', '/events'))
    .map(([method, path]) => ({
      fault: `${method} ${path}`,
      method,
      path,
      body: method === 'DELETE' ? undefined : (VALID.ReportPublished as unknown as Json),
      options: {},
      expected: [404, 405],
    })),
  fc
    .constantFrom(
      '/stories/fresh/event',
      '/stories/fresh/events/extra',
      '/story/fresh/events',
      '/stories//events',
      '/Stories/fresh/events',
      '/stories/fresh/EVENTS',
    )
    .map((path) => ({
      fault: `POST ${path}`,
      method: 'POST',
      path,
      body: VALID.ReportPublished as unknown as Json,
      options: {},
      expected: [400, 404, 405],
    })),

  // Story ids of dots alone: a URL resolves them as path segments, so none could be read back.
  fc.constantFrom('.', '..', '...', '%2E', '%2e%2E', '.%2E').map((storyId) => ({
    fault: `storyId ${storyId} (path as is)`,
    method: 'POST',
    path: `/stories/${storyId}/events`,
    body: VALID.ReportPublished as unknown as Json,
    options: {},
    rawPath: true,
    expected: [400],
  })),

  // A tool named in bytes that are no UTF-8 (Node hands headers over as latin1: 'é' is the byte 0xE9).
  fc.constantFrom('caf\u00e9', 'desk \u00ff', 'r\u00e9daction/2').map((tool) =>
    postCase(`X-Newsroom-Tool ${JSON.stringify(tool)} as latin1 bytes`, VALID.ReportPublished as unknown as Json, [400], {
      headers: { 'x-newsroom-tool': tool },
    }),
  ),

  // A revision that is no revision.
  fc
    .constantFrom('abc', '-1', '1.5', '0x1', '"', 'W/', '*x', ' 1 2')
    .map((ifMatch) => postCase(`If-Match ${ifMatch}`, VALID.ReportPublished as unknown as Json, [400, 412], { ifMatch })),
];

function generate(): BadRequest[] {
  return fc.sample(fc.oneof(...cases), { seed: SEED, numRuns: REQUESTS });
}

// ------------------------------------------------------------ the run

const newsroom = useNewsroom();

/** A request whose path goes out exactly as written (node:http does not resolve dot segments), as the writer. */
function sendAsIs(url: string, method: string, path: string, body: string | Uint8Array | undefined): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const { hostname, port } = new URL(url);
    // Options rather than a URL: a URL would have its dot segments resolved.
    const options = { hostname, port, path, method, headers: { authorization: `Bearer ${TOKENS.writer}`, 'content-type': 'application/json' } };
    const request = httpRequest(options, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let parsed: unknown;
        try {
          parsed = JSON.parse(text);
        } catch {
          parsed = undefined;
        }
        const headers = new Headers();
        for (const [name, value] of Object.entries(response.headers)) if (typeof value === 'string') headers.set(name, value);
        resolve({ status: response.statusCode ?? 0, headers, text, body: parsed });
      });
      response.on('error', reject);
    });
    request.on('error', reject);
    request.end(body);
  });
}

function problemsWith(request: BadRequest, answer: Answer): string[] {
  const found: string[] = [];
  if (!request.expected.includes(answer.status)) found.push(`status ${answer.status}, expected ${request.expected.join(' or ')}`);
  if (answer.status >= 500) found.push('a 5xx');
  if (!/^application\/problem\+json\b/.test(answer.headers.get('content-type') ?? '')) found.push(`content-type ${answer.headers.get('content-type')}`);
  const body = answer.body as { type?: unknown; title?: unknown; status?: unknown; code?: unknown } | undefined;
  if (!body || typeof body.type !== 'string' || typeof body.title !== 'string' || body.status !== answer.status || typeof body.code !== 'string') {
    found.push('not Problem Details');
  }
  return found;
}

it(`refuses ${REQUESTS} generated malformed requests with their 4xx as Problem Details and writes nothing`, async () => {
  const requests = generate();
  expect(requests.length).toBeGreaterThanOrEqual(1_000);
  const before = await markLog(newsroom.client);

  const failures: string[] = [];
  let next = 0;
  const worker = async () => {
    while (next < requests.length) {
      const index = next++;
      const request = requests[index];
      const path = request.path ?? `/stories/bad-input-${index}/events`;
      const body = serialise(request.body);
      const answer = request.rawPath
        ? await sendAsIs(newsroom.url, request.method, path, body)
        : await send(newsroom, request.method, path, body, request.options);
      const found = problemsWith(request, answer);
      if (found.length > 0) failures.push(`#${index} ${request.fault}: ${found.join('; ')} — ${answer.text.slice(0, 200)}`);
    }
  };
  await Promise.all(Array.from({ length: IN_FLIGHT }, worker));

  const after = await markLog(newsroom.client);
  expect(failures.slice(0, 40)).toEqual([]);
  expect(failures).toHaveLength(0);
  expect(after).toEqual(before);
});

it('generates every class of bad input the intake must refuse', () => {
  const faults = generate().map((request) => request.fault);
  const classes: Record<string, RegExp> = {
    'control characters': /\\u0000|\\u001b|\\u0007|\\u0008|\\u007f|\\u0085/,
    'lone surrogates': /\\ud800|\\udc00|\\ud83d/,
    'blank text': /\.(outlet|headline|statement|companyName|description|correction|reason) = "( *|\\t|\\n|\u00a0|\u3000)"$/,
    'invalid UTF-8 bodies': /in ReportPublished\.(headline|outlet)$/,
    'dots-only story ids': /^storyId \.+ \(path as is\)$|^storyId %2/,
    'dots-only ids in data': /\.(reportId|companyId|sourceId|followsReportId|reportedIn) = "\.+"$/,
    'null for an optional field': /\.(url|count|followsReportId|reportedIn) = null$/,
    'a count as a string': /SourceCited\.count = "\d+"$/,
    'future world times': /At = "(2099|9999)-/,
    'unregistered language tags': /\.language = "(zz|english|en-UK|xx-YY|qqq)"$/,
    'a tool header that is no UTF-8': /^X-Newsroom-Tool /,
  };
  const missing = Object.entries(classes)
    .filter(([, pattern]) => !faults.some((fault) => pattern.test(fault)))
    .map(([name]) => name);
  expect(missing).toEqual([]);
});

it('generates the same requests from the same seed', () => {
  const describe = (requests: BadRequest[]) => requests.map((r) => `${r.method} ${r.fault}`);
  expect(describe(generate())).toEqual(describe(generate()));
});
