import { createHash } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import {
  createNewsroomViews,
  digestViews,
  evolveNewsroomViews,
  generateNewsroomLog,
  getStoryState,
  listStories,
  type StoryListFilters,
  type ViewEvent,
} from '@newsroom/projections';

/**
 * `npm run bench:views`: the views alone, no store and no client. Folds a
 * generated log (passed through JSON as the store hands it over) into every
 * view and prints evolve's cost, the views' memory, the digest's time and the
 * read latencies. It asserts nothing; the end-to-end figures (through the
 * client) are `npm run bench:projections`.
 *
 *   --events N    (default 1,000,000)   --stories N   (default 100,000)
 */
const { values } = parseArgs({ options: { events: { type: 'string' }, stories: { type: 'string' } } });
const eventCount = Number(values.events ?? 1_000_000);
const storyCount = Number(values.stories ?? 100_000);
const gc = (globalThis as { gc?: () => void }).gc;
const mib = (bytes: number): string => `${(bytes / 2 ** 20).toFixed(0)} MiB`;

function settle(): NodeJS.MemoryUsage {
  gc?.();
  gc?.();
  return process.memoryUsage();
}

const baseline = settle();
const views = createNewsroomViews();
const revisions = new Map<string, bigint>();
const batch: ViewEvent[] = [];
let position = 0n;
let evolveMs = 0;
let applied = 0;
const started = Date.parse('2025-06-01T00:00:00Z');

function flush(): void {
  const t0 = performance.now();
  for (const event of batch) evolveNewsroomViews(views, event);
  evolveMs += performance.now() - t0;
  applied += batch.length;
  batch.length = 0;
}

for (const { storyId, event } of generateNewsroomLog({ events: eventCount, stories: storyCount })) {
  const revision = (revisions.get(storyId) ?? -1n) + 1n;
  revisions.set(storyId, revision);
  position += 211n;
  // As the runner gets it: data and metadata parsed from JSON, so every string is the event's own.
  const metadata = JSON.parse(
    JSON.stringify({ recordedAt: new Date(started + applied + batch.length).toISOString(), recordedBy: 'bench-writer' }),
  ) as ViewEvent['metadata'];
  batch.push({ type: event.type, data: JSON.parse(JSON.stringify(event.data)), storyId, revision, position, metadata } as ViewEvent);
  if (batch.length === 10_000) flush();
}
flush();
revisions.clear();

const memory = settle();
console.log(`events applied         ${applied.toLocaleString('en')} over ${storyCount.toLocaleString('en')} stories`);
console.log(`evolve (all views)     ${(applied / (evolveMs / 1000)).toFixed(0)} events/s, ${((evolveMs * 1000) / applied).toFixed(2)} µs/event`);
console.log(
  `memory after GC        rss ${mib(memory.rss)}, heap ${mib(memory.heapUsed)} used of ${mib(memory.heapTotal)}, ${mib(memory.heapUsed - baseline.heapUsed)} more than at start${gc ? '' : ' (run with --expose-gc for settled figures)'}`,
);

const nodeSha256 = () => createHash('sha256');
let t0 = performance.now();
const digest = digestViews(views, nodeSha256);
console.log(`digest (node sha256)   ${(performance.now() - t0).toFixed(0)} ms  ${digest.digest} at ${digest.position}`);
t0 = performance.now();
digestViews(views, nodeSha256);
console.log(`digest again           ${(performance.now() - t0).toFixed(0)} ms (story hashes remembered)`);

function latency(name: string, run: (i: number) => unknown, times = 20_000): void {
  const samples: number[] = [];
  for (let i = 0; i < times; i += 1) {
    const s = performance.now();
    run(i);
    samples.push(performance.now() - s);
  }
  samples.sort((a, b) => a - b);
  const at = (q: number): string => `${(samples[Math.floor(q * (samples.length - 1))] * 1000).toFixed(1)} µs`;
  console.log(`${name.padEnd(22)} p50 ${at(0.5)}, p99 ${at(0.99)}`);
}

latency('getStoryState', (i) => getStoryState(views, `story-${(i * 7919) % storyCount}`));
const filters: StoryListFilters[] = [
  {},
  { status: 'contested' },
  { status: 'retracted' },
  { company: 'company-42' },
  { outlet: 'Contoh Berita', language: 'id' },
  { updatedSince: new Date(started + applied - 5_000).toISOString() },
];
for (const filter of filters) latency(`list ${JSON.stringify(filter)}`.slice(0, 60), () => listStories(views, filter, null, 50), 2_000);
t0 = performance.now();
let pages = 0;
for (let cursor: string | null = null, first = true; first || cursor !== null; first = false) {
  cursor = listStories(views, { status: 'denied' }, cursor, 100).nextCursor;
  pages += 1;
}
console.log(`page through denied    ${pages} pages of 100 in ${(performance.now() - t0).toFixed(0)} ms`);
