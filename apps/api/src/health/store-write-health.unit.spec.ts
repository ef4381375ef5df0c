import { type AppendOutcome, StoreFullError, StoreUnavailableError } from '@newsroom/event-store';
import type { StoryAppender } from '../intake/append/story-appender';
import { StoreWriteHealth } from './store-write-health';

const OUTCOME: AppendOutcome = { revision: 0, position: '1', eventIds: ['e'] };
const context = { correlationId: 'c', causationId: 'c', recordedBy: 'token:x', tool: 't' };

/** An appender answering each append with the next of `answers` (an Error is thrown). */
function scripted(answers: (AppendOutcome | Error)[]): StoryAppender {
  return {
    appendToStory: () => {
      const next = answers.shift();
      return next instanceof Error ? Promise.reject(next) : Promise.resolve(next!);
    },
  };
}

describe('the write health /health reports', () => {
  let now = 0;
  const clock = () => now;

  it('given an append failed for want of space, then writes are failing since then, until an append succeeds', async () => {
    now = Date.parse('2026-12-04T10:00:00Z');
    const health = new StoreWriteHealth(clock, 60_000);
    const appender = health.watch(scripted([new StoreFullError('no space'), new StoreFullError('no space'), OUTCOME]));
    expect(health.writeFailure()).toBeUndefined();

    await expect(appender.appendToStory('s', [], 'any', context)).rejects.toBeInstanceOf(StoreFullError);
    now += 5_000;
    await expect(appender.appendToStory('s', [], 'any', context)).rejects.toBeInstanceOf(StoreFullError);
    expect(health.writeFailure()).toEqual({ reason: 'STORE_FULL', since: '2026-12-04T10:00:00.000Z' });

    await expect(appender.appendToStory('s', [], 'any', context)).resolves.toBe(OUTCOME);
    expect(health.writeFailure()).toBeUndefined();
  });

  it('given no append came for longer than the memory after the last failure, then the failure is no longer reported', async () => {
    now = 0;
    const health = new StoreWriteHealth(clock, 60_000);
    await expect(health.watch(scripted([new StoreFullError('no space')])).appendToStory('s', [], 'any', context)).rejects.toThrow();
    now = 60_000;
    expect(health.writeFailure()).toBeDefined();
    now = 60_001;
    expect(health.writeFailure()).toBeUndefined();
  });

  it('given an append failed otherwise (store unreachable, a rule), then writes are not reported as failing for want of space', async () => {
    const health = new StoreWriteHealth(clock);
    await expect(health.watch(scripted([new StoreUnavailableError('down')])).appendToStory('s', [], 'any', context)).rejects.toThrow();
    expect(health.writeFailure()).toBeUndefined();
  });
});
