import { MaxAppendSizeExceededError, WrongExpectedVersionError } from '@eventstore/db-client';
import { toEventStoreError } from './client-error.mapping';
import { AppendTooLargeError, ConcurrencyError, StoreFailureError, StoreUnavailableError } from './event-store.errors';

describe('mapping the client errors to ours', () => {
  it('turns a wrong expected version into a concurrency error naming both revisions', () => {
    const clientError = new WrongExpectedVersionError(undefined, {
      streamName: 'story-ford-xiaomi',
      expected: 3n,
      current: 5n,
    });
    const mapped = toEventStoreError(clientError, 'story-ford-xiaomi');
    expect(mapped).toBeInstanceOf(ConcurrencyError);
    expect(mapped).toMatchObject({ code: 'CONCURRENCY_CONFLICT', expected: '3', actual: '5' });
  });

  it('turns an oversized append into APPEND_TOO_LARGE', () => {
    const mapped = toEventStoreError(new MaxAppendSizeExceededError(undefined, 1048576), 's');
    expect(mapped).toBeInstanceOf(AppendTooLargeError);
  });

  it('treats a failed discovery as the store being unavailable', () => {
    const mapped = toEventStoreError(new Error('Failed to discover after 10 attempts.'), 's');
    expect(mapped).toBeInstanceOf(StoreUnavailableError);
  });

  it('keeps anything else as a store failure, never as the caller’s fault', () => {
    const mapped = toEventStoreError(new TypeError('boom'), 's');
    expect(mapped).toBeInstanceOf(StoreFailureError);
    expect(mapped.code).toBe('STORE_FAILURE');
  });
});
