import 'reflect-metadata';
import { SEED_STORY_EVENTS } from '@newsroom/domain';
import { classValidatorAccepts, validatePostedEvents } from '../posted-events.validator';

/**
 * `npm run bench:validation`: what the intake's shape check costs per posted event,
 * class-validator's validateSync beside the verdict compiled from the same DTOs (what
 * the intake runs for valid bodies). Prints figures; asserts nothing.
 */
const bodies = SEED_STORY_EVENTS.map(
  (event) => JSON.parse(JSON.stringify(event)) as { type: (typeof SEED_STORY_EVENTS)[number]['type']; data: Record<string, unknown> },
);
const ROUNDS = 200_000;

function measure(label: string, run: (body: (typeof bodies)[number]) => unknown): number {
  for (let i = 0; i < 20_000; i++) run(bodies[i % bodies.length]!);
  const started = process.hrtime.bigint();
  for (let i = 0; i < ROUNDS; i++) run(bodies[i % bodies.length]!);
  const micros = Number(process.hrtime.bigint() - started) / 1_000 / ROUNDS;
  console.log(`${label.padEnd(48)} ${micros.toFixed(2).padStart(7)} µs per event`);
  return micros;
}

console.log(`${ROUNDS} validations of the seed story's ${bodies.length} events, in turn (Node ${process.version})`);
const reference = measure('class-validator validateSync', (body) => classValidatorAccepts(body.type, body.data));
const compiled = measure('intake: compiled verdict (+ body shape checks)', (body) => validatePostedEvents(body));
console.log(`speed-up: ${(reference / compiled).toFixed(1)}x`);
