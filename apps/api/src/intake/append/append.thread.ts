import { type AppendOutcome, type ExpectedRevision, type NewEvent, StoreUnavailableError, type WriteContext } from '@newsroom/event-store';
import { restartingWorker } from '../../threads/worker-script';
import { type AppendReply, type AppendRequest, fromFailure } from './append.protocol';
import type { StoryAppender } from './story-appender';

/** The intake's appends, made by an event-store client on a thread of its own; close() ends the thread. */
export interface AppendThread extends StoryAppender {
  close(): Promise<void>;
}

export interface AppendThreadOptions {
  /** Stamps each post's recordedAt on the api's thread, when it is received. Default: the system clock. */
  readonly clock?: () => Date;
}

/** How long close() lets the appends under way finish before the thread is ended. */
const STOP_GRACE_MS = 5_000;

/**
 * The client's side of an append (building its protobuf messages, the base64 round trip of
 * the JSON, gRPC framing, reading the answer) took about 30% of the api thread's time per
 * post (profiled under bench:intake), and that thread was the intake's bottleneck: here it
 * only posts the validated events across and receives the outcome. Appends keep their
 * order: one thread, one client,
 * taken in the order they were sent. Errors come back as the adapter's own classes. If the
 * thread dies, the appends it held fail as STORE_UNAVAILABLE (their outcome unknown, as
 * with a lost connection: a retry with the same Idempotency-Key is safe) and the next
 * append starts another.
 */
export function startAppendThread(connectionString: string, options: AppendThreadOptions = {}): AppendThread {
  const clock = options.clock ?? (() => new Date());
  let stopped = false;
  let nextId = 1;
  const waiting = new Map<number, { resolve: (outcome: AppendOutcome) => void; reject: (error: Error) => void }>();

  const worker = restartingWorker<AppendRequest, AppendReply>(__dirname, 'append.worker', {
    workerData: { connectionString },
    label: 'the append thread',
    reply: (reply) => {
      const entry = waiting.get(reply.id);
      if (entry === undefined) return;
      waiting.delete(reply.id);
      if ('outcome' in reply) entry.resolve(reply.outcome);
      else entry.reject(fromFailure(reply.failure));
    },
    lost: (message) => {
      for (const { reject } of waiting.values()) reject(new StoreUnavailableError(message));
      waiting.clear();
    },
  });
  // Started now rather than at the first post, which would otherwise wait for the thread to load the client.
  worker.start();

  return {
    appendToStory(storyId: string, events: readonly NewEvent[], expected: ExpectedRevision, context: WriteContext): Promise<AppendOutcome> {
      if (stopped) return Promise.reject(new StoreUnavailableError('the api is stopping'));
      const id = nextId++;
      const request: AppendRequest = { kind: 'append', id, storyId, events, expected, context: { ...context, recordedAt: context.recordedAt ?? clock() } };
      return new Promise<AppendOutcome>((resolve, reject) => {
        waiting.set(id, { resolve, reject });
        worker.post(request);
      });
    },
    async close() {
      stopped = true;
      await worker.stop({ kind: 'stop' }, STOP_GRACE_MS);
    },
  };
}
