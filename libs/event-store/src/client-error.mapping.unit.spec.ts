import { MaxAppendSizeExceededError, UnknownError, WrongExpectedVersionError } from '@eventstore/db-client';
import { toEventStoreError } from './client-error.mapping';
import { AppendTooLargeError, ConcurrencyError, StoreFailureError, StoreFullError, StoreUnavailableError } from './event-store.errors';

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

  it('reads a full disk from the gRPC code (unary Append) or from the message (BatchAppend keeps only that)', () => {
    const unary = new UnknownError({ code: 8, message: '8 RESOURCE_EXHAUSTED: Out of disk space', details: 'Out of disk space' } as never);
    const batch = new UnknownError(undefined, 'Could not recognize Out of disk space: the node cannot write its log (no space left on device).');
    expect(toEventStoreError(unary, 's')).toBeInstanceOf(StoreFullError);
    expect(toEventStoreError(batch, 's')).toMatchObject({ code: 'STORE_FULL', message: expect.stringContaining('no space left on device') });
    expect(toEventStoreError(new UnknownError(), 's')).toBeInstanceOf(StoreFailureError);
  });

  it('keeps anything else as a store failure, never as the caller’s fault', () => {
    const mapped = toEventStoreError(new TypeError('boom'), 's');
    expect(mapped).toBeInstanceOf(StoreFailureError);
    expect(mapped.code).toBe('STORE_FAILURE');
  });
});
