import type { ServiceError, ClientReadableStream } from '@grpc/grpc-js';
import { Empty } from '@eventstore/db-client/generated/shared_pb';
import { ReadReq, type ReadResp } from '@eventstore/db-client/generated/streams_pb';
import { randomUUID } from 'node:crypto';
import type { ProposedEvent } from '../storage';
import { identifier, startRawServer, type RawServer } from './test/raw-client';

function subscribeAllRequest(filter?: ReadReq.Options.FilterOptions): ReadReq {
  const options = new ReadReq.Options()
    .setAll(new ReadReq.Options.AllOptions().setStart(new Empty()))
    .setReadDirection(ReadReq.Options.ReadDirection.FORWARDS)
    .setSubscription(new ReadReq.Options.SubscriptionOptions())
    .setUuidOption(new ReadReq.Options.UUIDOption().setString(new Empty()));
  if (filter) options.setFilter(filter);
  else options.setNoFilter(new Empty());
  return new ReadReq().setOptions(options);
}

function subscribeStreamRequest(stream: string): ReadReq {
  const options = new ReadReq.Options()
    .setStream(new ReadReq.Options.StreamOptions().setStreamIdentifier(identifier(stream)).setStart(new Empty()))
    .setReadDirection(ReadReq.Options.ReadDirection.FORWARDS)
    .setSubscription(new ReadReq.Options.SubscriptionOptions())
    .setNoFilter(new Empty())
    .setUuidOption(new ReadReq.Options.UUIDOption().setString(new Empty()));
  return new ReadReq().setOptions(options);
}

const event = (type: string, n: number): ProposedEvent => ({
  id: randomUUID(),
  type,
  isJson: true,
  data: Buffer.from(JSON.stringify({ n })),
  metadata: new Uint8Array(0),
});

/** Records a subscription's messages; resolves `until` once a predicate holds. */
function record(call: ClientReadableStream<ReadResp>) {
  const messages: ReadResp[] = [];
  let check: (() => void) | undefined;
  let failure: ServiceError | undefined;
  call.on('data', (m: ReadResp) => {
    messages.push(m);
    check?.();
  });
  call.on('error', (e: ServiceError) => {
    failure = e;
    check?.();
  });
  return {
    messages,
    get failure() {
      return failure;
    },
    until(predicate: () => boolean, timeoutMs = 20_000): Promise<void> {
      return new Promise((done, fail) => {
        const timer = setTimeout(() => fail(new Error(`timed out with ${messages.length} messages`)), timeoutMs);
        check = () => {
          if (predicate()) {
            clearTimeout(timer);
            check = undefined;
            done();
          }
        };
        check();
      });
    },
  };
}

const numbers = (messages: ReadResp[], type: string) =>
  messages
    .filter((m) => m.hasEvent() && m.getEvent()!.getEvent()!.getMetadataMap().get('type') === type)
    .map((m) => JSON.parse(Buffer.from(m.getEvent()!.getEvent()!.getData_asU8()).toString()).n as number);

describe('Read in subscription mode over raw gRPC', () => {
  let server: RawServer;

  beforeEach(async () => {
    server = await startRawServer();
  });
  afterEach(() => server.stop());

  it('confirms, catches up, says caught_up, then goes live', async () => {
    await server.engine.append('sub-1', { kind: 'any' }, [event('Old', 1)]);
    const call = server.streams().read(subscribeStreamRequest('sub-1'));
    const rec = record(call);
    await rec.until(() => rec.messages.some((m) => m.hasCaughtUp()));
    expect(rec.messages[0].hasConfirmation()).toBe(true);
    await server.engine.append('sub-1', { kind: 'any' }, [event('New', 2)]);
    await rec.until(() => numbers(rec.messages, 'New').length === 1);
    expect(rec.messages.map((m) => m.getContentCase())).toEqual([
      2, // confirmation
      1, // event Old
      8, // caught_up
      1, // event New
    ]);
    call.cancel();
  });

  it('sends checkpoints every window x multiplier considered events, at the last considered position', async () => {
    const filter = new ReadReq.Options.FilterOptions()
      .setEventType(new ReadReq.Options.FilterOptions.Expression().setPrefixList(['Keep']))
      .setMax(2)
      .setCheckpointintervalmultiplier(3);
    const call = server.streams().read(subscribeAllRequest(filter));
    const rec = record(call);
    await rec.until(() => rec.messages.some((m) => m.hasCaughtUp()));
    const before = rec.messages.length;
    for (let i = 0; i < 12; i++) await server.engine.append('cp', { kind: 'any' }, [event(i % 3 === 0 ? 'Keep' : 'Skip', i)]);
    await rec.until(() => numbers(rec.messages, 'Keep').length === 4 && rec.messages.filter((m) => m.hasCheckpoint()).length >= 2);
    const live = rec.messages.slice(before);
    expect(numbers(live, 'Skip')).toEqual([]);
    // Checkpoints come every 6 considered events of $all (system events included), at that event's position.
    const all = [...server.engine.readAll('start', 'forwards', 1000n)];
    const expected = all.filter((_, i) => (i + 1) % 6 === 0).map((e) => e.position.toString());
    const checkpoints = rec.messages.filter((m) => m.hasCheckpoint()).map((m) => m.getCheckpoint()!.getCommitPosition());
    expect(checkpoints).toEqual(expected);
    call.cancel();
  });

  it('applies regex filters on stream names', async () => {
    const filter = new ReadReq.Options.FilterOptions()
      .setStreamIdentifier(new ReadReq.Options.FilterOptions.Expression().setRegex('^story-\\d+$'))
      .setCount(new Empty())
      .setCheckpointintervalmultiplier(1);
    await server.engine.append('story-1', { kind: 'any' }, [event('E', 1)]);
    await server.engine.append('story-x', { kind: 'any' }, [event('E', 2)]);
    await server.engine.append('story-22', { kind: 'any' }, [event('E', 3)]);
    const call = server.streams().read(subscribeAllRequest(filter));
    const rec = record(call);
    await rec.until(() => rec.messages.some((m) => m.hasCaughtUp()));
    expect(numbers(rec.messages, 'E')).toEqual([1, 3]);
    call.cancel();
  });

  it('holds a reader that does not read (backpressure), then delivers everything in order, once', async () => {
    const call = server.streams().read(subscribeAllRequest());
    const rec = record(call);
    await rec.until(() => rec.messages.some((m) => m.hasCaughtUp()));
    call.pause();
    const total = 30_000;
    const payload = 'x'.repeat(200);
    for (let i = 0; i < total; i += 500) {
      const batch = Array.from({ length: 500 }, (_, j) => ({ ...event('Bulk', i + j), metadata: Buffer.from(payload) }));
      await server.engine.append(`bulk-${i % 7}`, { kind: 'any' }, batch);
    }
    call.resume();
    // Counted incrementally: re-decoding every message on each arrival would make the reader the bottleneck.
    let bulk = 0;
    let scanned = 0;
    await rec.until(() => {
      for (; scanned < rec.messages.length; scanned++) {
        const m = rec.messages[scanned];
        if (m.hasEvent() && m.getEvent()!.getEvent()!.getMetadataMap().get('type') === 'Bulk') bulk++;
      }
      return bulk >= total;
    }, 60_000);
    const got = numbers(rec.messages, 'Bulk');
    expect(got).toHaveLength(total);
    expect(got.every((n, i) => n === i)).toBe(true);
    const positions = rec.messages.filter((m) => m.hasEvent()).map((m) => BigInt(m.getEvent()!.getCommitPosition()));
    expect(positions.every((p, i) => i === 0 || p > positions[i - 1])).toBe(true);
    call.cancel();
  }, 90_000);

  it('drops a cancelled subscriber from the commit listeners', async () => {
    let listeners = 0;
    const onCommit = server.engine.onCommit.bind(server.engine);
    server.engine.onCommit = (listener) => {
      listeners++;
      const off = onCommit(listener);
      return () => {
        listeners--;
        off();
      };
    };
    const call = server.streams().read(subscribeStreamRequest('gone-soon'));
    const rec = record(call);
    await rec.until(() => rec.messages.some((m) => m.hasCaughtUp()));
    expect(listeners).toBe(1);
    call.cancel();
    await new Promise((done) => setTimeout(done, 100));
    expect(listeners).toBe(0);
  });

  it('ends a stream subscription with stream-deleted when the stream is tombstoned', async () => {
    await server.engine.append('doomed', { kind: 'any' }, [event('E', 1)]);
    const call = server.streams().read(subscribeStreamRequest('doomed'));
    const rec = record(call);
    await rec.until(() => rec.messages.some((m) => m.hasCaughtUp()));
    await server.engine.tombstone('doomed', { kind: 'any' });
    await rec.until(() => rec.failure !== undefined);
    expect(rec.failure!.metadata.get('exception')).toEqual(['stream-deleted']);
    expect(rec.failure!.metadata.get('stream-name')).toEqual(['doomed']);
  });
});
