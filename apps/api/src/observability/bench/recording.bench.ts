import { Writable } from 'node:stream';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { createStoreMetrics } from '../../store/store-metrics';
import { ApiMetrics } from '../api-metrics';
import { createLogger } from '../logger';
import { meteredAppender } from '../metered-appender';
import { requestObserver } from '../request-observer.hook';

/**
 * `npm run bench:recording`: what recording costs per post on the api's thread (the request's
 * log line, written to a sink that drops it; the HTTP histogram; the append timing and the
 * count by type) and per commit on the store's thread, beside the api's CPU per post that
 * bench:intake prints (over 1,000 µs on this machine). Prints figures; asserts nothing.
 */
const ROUNDS = 200_000;

function measure(label: string, run: () => unknown): void {
  for (let i = 0; i < 20_000; i++) run();
  const started = process.hrtime.bigint();
  for (let i = 0; i < ROUNDS; i++) run();
  const micros = Number(process.hrtime.bigint() - started) / 1_000 / ROUNDS;
  console.log(`${label.padEnd(56)} ${micros.toFixed(2).padStart(7)} µs`);
}

async function main(): Promise<void> {
  const metrics = new ApiMetrics();
  const sink = new Writable({ write: (_chunk, _encoding, done) => done() });
  const logger = createLogger({ level: 'info', destination: sink });
  const observe = requestObserver(metrics);
  const request = {
    id: '0b6f5f0e-5d3c-4bb4-a8b6-7d1b0f0b9a11',
    method: 'POST',
    headers: { 'x-correlation-id': 'desk-7' },
    routeOptions: { url: '/stories/:storyId/events' },
    principal: { name: 'token:0123456789ab' },
    log: logger.child({ requestId: '0b6f5f0e-5d3c-4bb4-a8b6-7d1b0f0b9a11' }),
  } as unknown as FastifyRequest;
  const reply = { statusCode: 201, elapsedTime: 3.2, getHeader: () => undefined } as unknown as FastifyReply;
  const outcome = { revision: 0, position: '1', eventIds: ['e'] };
  const appender = meteredAppender({ appendToStory: () => Promise.resolve(outcome) }, metrics);
  const events = [{ type: 'ReportPublished', data: {} }] as never;
  const store = createStoreMetrics();

  console.log(`${ROUNDS} rounds each (Node ${process.version})`);
  measure('request line + HTTP histogram (onResponse hook)', () => observe(request, reply, () => undefined));
  measure("the request's child logger (Fastify makes one per request)", () => logger.child({ requestId: request.id }));
  // The appender's own promise hop is included; the append it wraps answers at once here.
  const started = process.hrtime.bigint();
  for (let i = 0; i < ROUNDS; i++) await appender.appendToStory('s', events, 'no_stream', { correlationId: 'c', causationId: 'c', recordedBy: 'r' });
  console.log(
    `${'metered append (timing + events by type), with its await'.padEnd(56)} ${(Number(process.hrtime.bigint() - started) / 1_000 / ROUNDS).toFixed(2).padStart(7)} µs`,
  );
  measure('store thread: one commit and one sync observed', () => {
    store.observer.committed?.(8, 8);
    store.observer.synced?.(0.002);
  });
  const text = await metrics.registry.metrics();
  console.log(`a scrape's api text: ${text.length.toLocaleString('en')} characters`);
}

void main();
