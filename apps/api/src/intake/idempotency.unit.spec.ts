import { SEED_STORY_EVENTS, type StoryEvent } from '@newsroom/domain';
import { validatePostedEvents } from './posted-events.validator';
import { bodyJsonHash, deterministicEventId, requestHash } from './idempotency';

const [report, , , fordDenial, xiaomiDenial] = SEED_STORY_EVENTS as [StoryEvent, StoryEvent, StoryEvent, StoryEvent, StoryEvent];

/** The hash of a body as the intake takes it: validated first. */
const hashOf = (body: unknown) => requestHash(validatePostedEvents(body).events);

/** A deep copy with every object's keys in reverse order. */
function reversedKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(reversedKeys);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value)
        .reverse()
        .map(([key, inner]) => [key, reversedKeys(inner)]),
    );
  }
  return value;
}

describe('the request hash of an Idempotency-Key', () => {
  it('is the same for the same events with their keys in another order, at every depth', () => {
    const reordered = reversedKeys(report);
    expect(JSON.stringify(reordered)).not.toBe(JSON.stringify(report));
    expect(hashOf(reordered)).toBe(hashOf(report));
    expect(hashOf([reversedKeys(fordDenial), reversedKeys(xiaomiDenial)])).toBe(hashOf([fordDenial, xiaomiDenial]));
  });

  it('is the same for one event sent alone and sent as a one-element array', () => {
    expect(hashOf([fordDenial])).toBe(hashOf(fordDenial));
  });

  it('differs when anything of the events differs: a value, the type, the order, the count', () => {
    const base = hashOf(fordDenial);
    expect(hashOf({ ...fordDenial, data: { ...fordDenial.data, statement: 'We never met Xiaomi.' } })).not.toBe(base);
    expect(hashOf(xiaomiDenial)).not.toBe(base);
    expect(hashOf([fordDenial, xiaomiDenial])).not.toBe(hashOf([xiaomiDenial, fordDenial]));
    expect(hashOf([fordDenial, fordDenial])).not.toBe(base);
  });

  it('keeps the digest of the body as parsed for posts recorded before, which differs from the canonical one', () => {
    expect(bodyJsonHash(fordDenial)).toBe(bodyJsonHash(JSON.parse(JSON.stringify(fordDenial))));
    expect(bodyJsonHash(reversedKeys(fordDenial))).not.toBe(bodyJsonHash(fordDenial));
    expect(bodyJsonHash(fordDenial)).not.toBe(hashOf(fordDenial));
  });
});

describe('the event ids of a keyed post', () => {
  it('are the same for the same story, key, request and place, and differ when any of them does', () => {
    const hash = hashOf(fordDenial);
    const id = deterministicEventId('story', 'key', hash, 0);
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(deterministicEventId('story', 'key', hash, 0)).toBe(id);
    const others = [
      deterministicEventId('other', 'key', hash, 0),
      deterministicEventId('story', 'other', hash, 0),
      deterministicEventId('story', 'key', hashOf(xiaomiDenial), 0),
      deterministicEventId('story', 'key', hash, 1),
    ];
    expect(new Set([id, ...others]).size).toBe(5);
  });
});
