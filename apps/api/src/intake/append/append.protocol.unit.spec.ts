// An append's error must come out of the thread boundary as the class the api maps to a
// status, with the fields the answer names; structuredClone is what postMessage does to it.
import {
  AppendTooLargeError,
  ConcurrencyError,
  StoreFailureError,
  StoreFullError,
  StoreUnavailableError,
  StreamDeletedError,
  SubscriptionDroppedError,
} from '@newsroom/event-store';
import { fromFailure, toFailure } from './append.protocol';

const acrossThreads = (error: unknown): Error => fromFailure(structuredClone(toFailure(error)));

describe('append errors across threads', () => {
  it('keeps a concurrency conflict with the stream and both revisions', () => {
    const rebuilt = acrossThreads(new ConcurrencyError('story-a', '3', 'no_stream'));
    expect(rebuilt).toBeInstanceOf(ConcurrencyError);
    expect(rebuilt).toMatchObject({ code: 'CONCURRENCY_CONFLICT', streamName: 'story-a', expected: '3', actual: 'no_stream', name: 'ConcurrencyError' });
    expect(rebuilt.message).toBe('stream story-a is at no_stream, expected 3');
  });

  it('keeps a deleted stream with its name', () => {
    const rebuilt = acrossThreads(new StreamDeletedError('story-b'));
    expect(rebuilt).toBeInstanceOf(StreamDeletedError);
    expect(rebuilt).toMatchObject({ code: 'STREAM_DELETED', streamName: 'story-b' });
  });

  it.each([
    ['unavailable', new StoreUnavailableError('no leader'), StoreUnavailableError],
    ['a full disk', new StoreFullError('no space left on device'), StoreFullError],
    ['too large', new AppendTooLargeError('over 1 MiB'), AppendTooLargeError],
    ['a store failure', new StoreFailureError('bad answer'), StoreFailureError],
  ])('keeps %s with its message', (_, error, type) => {
    const rebuilt = acrossThreads(error);
    expect(rebuilt).toBeInstanceOf(type);
    expect(rebuilt.message).toBe(error.message);
  });

  it('makes any other store error a store failure, and anything else a plain error of the same name', () => {
    expect(acrossThreads(new SubscriptionDroppedError('dropped', 'ENDED_BY_SERVER'))).toBeInstanceOf(StoreFailureError);
    const bug = acrossThreads(new RangeError('nothing to append'));
    expect(bug).not.toBeInstanceOf(StoreFailureError);
    expect(bug).toMatchObject({ name: 'RangeError', message: 'nothing to append' });
    expect(acrossThreads('a string')).toMatchObject({ name: 'Error', message: 'a string' });
  });
});
