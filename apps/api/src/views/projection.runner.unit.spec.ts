// The runner's delivery guarantees, over a scripted source of $all messages: given what
// each subscription delivers (and where it drops), then what the views hold.
import { SEED_STORY_EVENTS, type StoryEvent } from '@newsroom/domain';
import type { AllPosition, StoredStoryEvent, StoryFeedMessage } from '@newsroom/event-store';
import { createNewsroomViews, digestViews, evolveNewsroomViews, getStoryState } from '@newsroom/projections';
import { ProjectionRunner, type StoryEventSource } from './projection.runner';

const STORY = 'ford-xiaomi-us-ev-talks';

/** The seed story as recorded: revision n at commit position 100 × (n + 1). */
const recorded: StoredStoryEvent[] = (SEED_STORY_EVENTS as readonly StoryEvent[]).map(
  (event, revision) =>
    ({
      ...event,
      eventId: `00000000-0000-4000-8000-00000000000${revision}`,
      storyId: STORY,
      revision: BigInt(revision),
      position: BigInt(100 * (revision + 1)),
      metadata: {
        $correlationId: 'c',
        $causationId: 'c',
        recordedBy: 'token:desk',
        recordedAt: `2025-01-0${revision + 1}T09:00:00.000Z`,
        tool: 'spec',
        schemaVersion: 1,
        batchIndex: 0,
        batchSize: 1,
      },
    }) as StoredStoryEvent,
);

const at = (event: StoredStoryEvent): AllPosition => ({ commit: event.position, prepare: event.position });
const eventMessage = (event: StoredStoryEvent): StoryFeedMessage => ({ kind: 'event', event, at: at(event) });

/** One subscription's script: the messages it delivers, then a drop, or staying open (live). */
interface Script {
  readonly messages: readonly StoryFeedMessage[];
  readonly then: 'drop' | 'stay-open';
}

class ScriptedSource implements StoryEventSource {
  readonly requests: (AllPosition | undefined)[] = [];
  constructor(private readonly scripts: Script[]) {}

  subscribeToStoryEvents(options: { after?: AllPosition }) {
    this.requests.push(options.after);
    const script = this.scripts.shift() ?? { messages: [], then: 'stay-open' as const };
    let closed = false;
    let next = 0;
    let release: (() => void) | undefined;
    return {
      async close() {
        closed = true;
        release?.();
      },
      // Two messages at most per batch, whatever is asked: the runner must not rely on more.
      async nextBatch(max: number) {
        if (closed) return undefined;
        if (next < script.messages.length) {
          const batch = script.messages.slice(next, next + Math.min(max, 2));
          next += batch.length;
          return batch;
        }
        if (script.then === 'drop') throw new Error('connection lost');
        await new Promise<void>((resolve) => {
          release = resolve;
          if (closed) resolve();
        });
        return undefined;
      },
    };
  }
}

async function settle(runner: ProjectionRunner, predicate: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !predicate(); i += 1) await new Promise((resolve) => setTimeout(resolve, 5));
  expect(predicate()).toBe(true);
  expect(runner).toBeDefined();
}

function freshReplay(): string {
  const views = createNewsroomViews();
  for (const event of recorded) evolveNewsroomViews(views, event);
  return digestViews(views).digest;
}

describe('the projection runner', () => {
  let runner: ProjectionRunner | undefined;
  afterEach(async () => {
    await runner?.stop();
    runner = undefined;
  });

  it('given the seed story then caught-up, applies it in order and says it is live', async () => {
    const source = new ScriptedSource([{ messages: [...recorded.map(eventMessage), { kind: 'caught-up' }], then: 'stay-open' }]);
    runner = new ProjectionRunner(source);
    runner.start();
    await settle(runner, () => runner!.status().caughtUp);
    expect(runner.status()).toMatchObject({ state: 'live', position: '500', reached: '500', caughtUp: true, eventsApplied: 5, subscriptions: 1 });
    expect(getStoryState(runner.views, STORY)?.claims[0]?.status).toBe('denied');
    expect(source.requests).toEqual([undefined]);
  });

  it('when the subscription drops, resubscribes after the last event applied, and a repeated event is not applied twice', async () => {
    const dropped: unknown[] = [];
    const source = new ScriptedSource([
      { messages: recorded.slice(0, 2).map(eventMessage), then: 'drop' },
      { messages: [], then: 'drop' }, // the store is still restarting
      // A server that repeats the last event it sent: the views hold it already.
      { messages: [eventMessage(recorded[1]!), ...recorded.slice(2).map(eventMessage), { kind: 'caught-up' }], then: 'stay-open' },
    ]);
    runner = new ProjectionRunner(source, { initialBackoffMs: 1, onDrop: (error) => dropped.push(error) });
    const changes: string[] = [];
    runner.onChange(({ event }) => changes.push(`${event.revision}`));
    runner.start();
    await settle(runner, () => runner!.status().caughtUp);

    expect(source.requests).toEqual([undefined, at(recorded[1]!), at(recorded[1]!)]);
    expect(dropped).toEqual(['connection lost', 'connection lost']);
    expect(changes).toEqual(['0', '1', '2', '3', '4']);
    expect(runner.status()).toMatchObject({ eventsApplied: 5, subscriptions: 3, caughtUp: true });
    expect(digestViews(runner.views).digest).toBe(freshReplay());
  });

  it('backs off exponentially between failed attempts, up to the ceiling, and starts over once events flow', async () => {
    const pauses: number[] = [];
    const source = new ScriptedSource([
      { messages: [], then: 'drop' },
      { messages: [], then: 'drop' },
      { messages: [], then: 'drop' },
      { messages: [], then: 'drop' },
      { messages: [eventMessage(recorded[0]!)], then: 'drop' },
      { messages: [], then: 'drop' },
      { messages: [{ kind: 'caught-up' }], then: 'stay-open' },
    ]);
    runner = new ProjectionRunner(source, { initialBackoffMs: 2, maxBackoffMs: 10, onDrop: (_e, _n, pause) => pauses.push(pause) });
    runner.start();
    await settle(runner, () => runner!.status().caughtUp);
    expect(pauses).toEqual([2, 4, 8, 10, 2, 4]);
  });

  it('lets a read wait for a position: true once applied, false when the bound runs out, false at once on stop', async () => {
    const source = new ScriptedSource([{ messages: [eventMessage(recorded[0]!), { kind: 'caught-up' }], then: 'stay-open' }]);
    runner = new ProjectionRunner(source);
    const first = runner.waitFor(100n, 1_000);
    runner.start();
    await expect(first).resolves.toBe(true);
    expect(runner.hasReached(100n)).toBe(true);
    await expect(runner.waitFor(200n, 20)).resolves.toBe(false);
    const pending = runner.waitFor(200n, 60_000);
    await runner.stop();
    await expect(pending).resolves.toBe(false);
  });

  it('tells plain reads when the first catch-up is done, across a drop before it', async () => {
    const source = new ScriptedSource([
      { messages: [eventMessage(recorded[0]!)], then: 'drop' },
      { messages: [eventMessage(recorded[1]!), { kind: 'caught-up' }], then: 'stay-open' },
    ]);
    runner = new ProjectionRunner(source, { initialBackoffMs: 1 });
    await expect(runner.waitForFirstCatchUp(0)).resolves.toBe(false);
    const first = runner.waitForFirstCatchUp(2_000);
    runner.start();
    await expect(first).resolves.toBe(true);
    expect(runner.hasCaughtUpOnce()).toBe(true);
    expect(runner.status().eventsApplied).toBe(2);
    await expect(runner.waitForFirstCatchUp(0)).resolves.toBe(true);
  });

  it('skips and reports an event the views cannot fold, and goes on with the next', async () => {
    const broken = { ...recorded[0]!, storyId: 'broken', data: { reportId: 'r', claims: null } } as unknown as StoredStoryEvent;
    const faults: string[] = [];
    const source = new ScriptedSource([{ messages: [eventMessage(broken), ...recorded.map(eventMessage), { kind: 'caught-up' }], then: 'stay-open' }]);
    runner = new ProjectionRunner(source, { onFault: (description) => faults.push(description) });
    runner.start();
    await settle(runner, () => runner!.status().caughtUp);
    expect(runner.status()).toMatchObject({ eventsApplied: 5, faults: 1, lastFault: expect.stringContaining('broken@0 (ReportPublished)') });
    expect(faults).toHaveLength(1);
    expect(getStoryState(runner.views, STORY)?.claims[0]?.status).toBe('denied');
  });

  it('counts a checkpoint as reached only strictly before its position', async () => {
    const source = new ScriptedSource([
      { messages: [eventMessage(recorded[0]!), { kind: 'checkpoint', position: { commit: 150n, prepare: 150n } }, { kind: 'caught-up' }], then: 'stay-open' },
    ]);
    runner = new ProjectionRunner(source);
    runner.start();
    await settle(runner, () => runner!.status().caughtUp);
    expect(runner.hasReached(149n)).toBe(true);
    expect(runner.hasReached(150n)).toBe(false);
    expect(runner.status().position).toBe('100');
  });
});
