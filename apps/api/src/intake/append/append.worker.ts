import { parentPort, workerData } from 'node:worker_threads';
import { EventStoreAdapter } from '@newsroom/event-store';
import { type AppendReply, type AppendRequest, toFailure } from './append.protocol';

/** The append thread (see append.thread.ts): its own client, one append per request, in order. */
function run(): void {
  const port = parentPort;
  if (port === null) throw new Error('append.worker runs as a worker thread');
  const store = EventStoreAdapter.connect((workerData as { connectionString: string }).connectionString);
  const reply = (message: AppendReply) => port.postMessage(message);

  port.on('message', (request: AppendRequest) => {
    if (request.kind === 'append') {
      store.appendToStory(request.storyId, request.events, request.expected, request.context).then(
        (outcome) => reply({ id: request.id, outcome }),
        (error: unknown) => reply({ id: request.id, failure: toFailure(error) }),
      );
      return;
    }
    // The adapter's close lets the appends under way finish (and their answers go out) first.
    void store.close().finally(() => port.close());
  });
}

run();
