import { SEED_STORY_EVENTS, type StoryEvent } from '@newsroom/domain';
import { DEV_WRITER_TOKEN } from './demo.defaults';

export interface DemoOptions {
  /** The running api; default http://localhost:3000. */
  apiUrl?: string;
  /** A writer's bearer token; default the api's development writer token. */
  token?: string;
  /** Default: a fresh `ford-xiaomi-ev-jv-<time>` so the demo can run again and again. */
  storyId?: string;
  out: (line: string) => void;
}

export interface RecordedAnswer {
  storyId: string;
  revision: number;
  position: string;
  eventIds: string[];
}

export interface DemoOutcome {
  ok: boolean;
  storyId: string;
  answers: RecordedAnswer[];
}

const DEFAULT_API_URL = 'http://localhost:3000';
/** Retries of one post after a dropped connection or a 503; its Idempotency-Key makes them safe. */
const RETRIES = 3;
const RETRYABLE_NETWORK_ERRORS = new Set(['ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'UND_ERR_SOCKET', 'UND_ERR_CONNECT_TIMEOUT']);

/**
 * Posts the seed story event by event (so each answer shows the revision and position it
 * got) and prints them. A fresh story id per run: the seed's own id would make a second
 * run refuse the opening report (REPORT_ALREADY_EXISTS) or, with reused Idempotency-Keys,
 * print the first run's answers as if they were new.
 */
export async function runDemo(options: DemoOptions): Promise<DemoOutcome> {
  const apiUrl = (options.apiUrl || DEFAULT_API_URL).replace(/\/+$/, '');
  const token = options.token || DEV_WRITER_TOKEN;
  const storyId = options.storyId ?? `ford-xiaomi-ev-jv-${timestamp(new Date())}`;
  const { out } = options;
  const answers: RecordedAnswer[] = [];

  out(`Posting the seed story to ${apiUrl} as story "${storyId}"`);
  out('');
  for (const [index, event] of SEED_STORY_EVENTS.entries()) {
    out(`${index + 1}. ${event.type.padEnd(16)} ${describeEvent(event)}`);
    const result = await post(`${apiUrl}/stories/${storyId}/events`, token, event, `${storyId}-${index}`);
    if (result.kind === 'unreachable') {
      out('');
      out(`The api at ${apiUrl} is not reachable (${result.reason}).`);
      out('Start it with `npm start`, or point NEWSROOM_API_URL at a running one.');
      return { ok: false, storyId, answers };
    }
    if (result.status !== 201) {
      out(`   refused: ${result.status} ${describeProblem(result.body)}`);
      if (result.status === 401 || result.status === 403) out('   Set NEWSROOM_TOKEN to a writer token of that api (see its NEWSROOM_TOKENS).');
      return { ok: false, storyId, answers };
    }
    const answer = result.body as RecordedAnswer;
    answers.push(answer);
    out(`   recorded: revision ${answer.revision}, position ${answer.position}, event ${answer.eventIds.join(', ')}`);
  }

  out('');
  out(`Recorded ${answers.length} events on stream story-${storyId}. The api's last answer:`);
  out(JSON.stringify(answers[answers.length - 1], null, 2));
  return { ok: true, storyId, answers };
}

type PostResult = { kind: 'answered'; status: number; body: unknown } | { kind: 'unreachable'; reason: string };

async function post(url: string, token: string, event: StoryEvent, idempotencyKey: string): Promise<PostResult> {
  let last: PostResult = { kind: 'unreachable', reason: 'no attempt' };
  for (let attempt = 0; attempt <= RETRIES; attempt += 1) {
    if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, 250 * attempt));
    try {
      const response = await fetch(url, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${token}`,
          'content-type': 'application/json',
          'idempotency-key': idempotencyKey,
          // Recorded in each event's metadata as the posting tool.
          'x-newsroom-tool': 'newsroom-ledger demo',
        },
        body: JSON.stringify(event),
      });
      const text = await response.text();
      last = { kind: 'answered', status: response.status, body: parse(text) };
      if (response.status !== 503) return last;
    } catch (error) {
      last = { kind: 'unreachable', reason: networkReason(error) };
      // A dropped connection may be worth another try; nothing listening, no such host or a bad port is not.
      if (!RETRYABLE_NETWORK_ERRORS.has(last.reason)) return last;
    }
  }
  return last;
}

function describeEvent(event: StoryEvent): string {
  switch (event.type) {
    case 'ReportPublished': {
      const { outlet, language, headline, followsReportId, claims } = event.data;
      const follows = followsReportId ? `, following ${followsReportId}` : '';
      return `${outlet} [${language}]: "${headline}" (${claims.length} claim${claims.length === 1 ? '' : 's'}${follows})`;
    }
    case 'SourceCited': {
      const { description, kind, count, supports } = event.data;
      return `${description} (${kind}, ${count ?? 1} ${(count ?? 1) === 1 ? 'person' : 'people'}) supporting ${supports.join(', ')}`;
    }
    case 'CompanyDenied':
      return `${event.data.companyName} denies [${event.data.language}]: "${event.data.statement}"`;
    case 'CompanyConfirmed':
      return `${event.data.companyName} confirms [${event.data.language}]: "${event.data.statement}"`;
    case 'ReportCorrected':
      return `${event.data.reportId} corrected: ${event.data.correction}`;
    case 'ReportRetracted':
      return `${event.data.reportId} retracted: ${event.data.reason}`;
    default: {
      const _unhandled: never = event;
      return JSON.stringify(_unhandled);
    }
  }
}

function describeProblem(body: unknown): string {
  if (body === null || typeof body !== 'object') return String(body ?? '');
  const { title, detail, code } = body as { title?: unknown; detail?: unknown; code?: unknown };
  return [title, code ? `(${String(code)})` : '', detail ? `: ${String(detail)}` : ''].filter(Boolean).join(' ');
}

/** fetch says only "fetch failed"; the cause says why (ECONNREFUSED, ENOTFOUND, "bad port"). */
function networkReason(error: unknown): string {
  const cause = (error as { cause?: { code?: unknown; message?: unknown } }).cause;
  if (cause?.code) return String(cause.code);
  if (cause?.message) return String(cause.message);
  return error instanceof Error ? error.message : String(error);
}

function parse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** `20261121-053601-123`: sortable, readable, and a valid slug. */
function timestamp(now: Date): string {
  return now.toISOString().replace(/[-:]/g, '').replace('T', '-').replace('.', '-').replace('Z', '');
}
