import { status, type ClientDuplexStream, type ServiceError } from '@grpc/grpc-js';
import { Empty as PbEmpty } from 'google-protobuf/google/protobuf/empty_pb';
import { Timestamp } from 'google-protobuf/google/protobuf/timestamp_pb';
import { StreamDeleted, WrongExpectedVersion } from '@eventstore/db-client/generated/shared_pb';
import { BatchAppendReq, type BatchAppendResp } from '@eventstore/db-client/generated/streams_pb';
import { randomUUID } from 'node:crypto';
import { identifier, rawRead, startRawServer, streamReadRequest, uuid, type RawServer } from './test/raw-client';

type Call = ClientDuplexStream<BatchAppendReq, BatchAppendResp>;

function message(type: string, n: number, id = randomUUID()): BatchAppendReq.ProposedMessage {
  const m = new BatchAppendReq.ProposedMessage().setId(uuid(id)).setData(Buffer.from(JSON.stringify({ n })));
  m.getMetadataMap().set('type', type);
  m.getMetadataMap().set('content-type', 'application/json');
  return m;
}

function chunk(
  correlation: string,
  messages: BatchAppendReq.ProposedMessage[],
  final: boolean,
  options?: { stream: string; noStream?: boolean; deadline?: Date },
): BatchAppendReq {
  const req = new BatchAppendReq().setCorrelationId(uuid(correlation)).setProposedMessagesList(messages).setIsFinal(final);
  if (options) {
    const o = new BatchAppendReq.Options().setStreamIdentifier(identifier(options.stream));
    if (options.noStream) o.setNoStream(new PbEmpty());
    else o.setAny(new PbEmpty());
    o.setDeadline(Timestamp.fromDate(options.deadline ?? new Date(Date.now() + 10_000)));
    req.setOptions(o);
  }
  return req;
}

/** Collects responses by correlation id and waits for a given set. */
function responses(call: Call) {
  const seen: BatchAppendResp[] = [];
  const waiters: (() => void)[] = [];
  // The tests end their calls by cancelling them; that error is expected.
  call.on('error', () => undefined);
  call.on('data', (r: BatchAppendResp) => {
    seen.push(r);
    for (const w of waiters.splice(0)) w();
  });
  return {
    seen,
    async waitFor(count: number): Promise<BatchAppendResp[]> {
      while (seen.length < count) await new Promise<void>((done) => waiters.push(done));
      return seen;
    },
  };
}

const byCorrelation = (all: BatchAppendResp[], id: string) => all.filter((r) => r.getCorrelationId()?.getString() === id);

describe('BatchAppend over raw gRPC', () => {
  let server: RawServer;

  beforeAll(async () => {
    server = await startRawServer();
  });
  afterAll(() => server.stop());

  const eventsOf = async (stream: string) =>
    (await rawRead(server.streams(), streamReadRequest(stream))).messages
      .filter((m) => m.hasEvent())
      .map((m) => JSON.parse(Buffer.from(m.getEvent()!.getEvent()!.getData_asU8()).toString()).n as number);

  it('accumulates interleaved chunks per correlation id and answers each exactly once, echoing id and stream', async () => {
    const call = server.streams().batchAppend();
    const got = responses(call);
    const a = randomUUID();
    const b = randomUUID();
    call.write(chunk(a, [message('A', 1), message('A', 2)], false, { stream: 'batch-a' }));
    call.write(chunk(b, [message('B', 1)], false, { stream: 'batch-b' }));
    call.write(chunk(a, [message('A', 3)], false));
    // Nothing is written before is_final.
    await new Promise((done) => setTimeout(done, 50));
    expect(got.seen).toHaveLength(0);
    expect(await eventsOf('batch-a')).toEqual([]);
    call.write(chunk(b, [message('B', 2)], true));
    call.write(chunk(a, [message('A', 4)], true));
    const all = await got.waitFor(2);
    await new Promise((done) => setTimeout(done, 50));
    expect(got.seen).toHaveLength(2);
    const ra = byCorrelation(all, a);
    const rb = byCorrelation(all, b);
    expect(ra).toHaveLength(1);
    expect(rb).toHaveLength(1);
    expect(Buffer.from(ra[0].getStreamIdentifier()!.getStreamName_asU8()).toString()).toBe('batch-a');
    expect(ra[0].getSuccess()?.getCurrentRevision()).toBe('3');
    expect(rb[0].getSuccess()?.getCurrentRevision()).toBe('1');
    expect(await eventsOf('batch-a')).toEqual([1, 2, 3, 4]);
    expect(await eventsOf('batch-b')).toEqual([1, 2]);
    call.cancel();
  });

  it('answers failures with a google.rpc.Status whose details Any names the error, and keeps the call open', async () => {
    const call = server.streams().batchAppend();
    const got = responses(call);
    const first = randomUUID();
    call.write(chunk(first, [message('X', 1)], true, { stream: 'batch-wev' }));
    await got.waitFor(1);
    const wev = randomUUID();
    call.write(chunk(wev, [message('X', 2)], true, { stream: 'batch-wev', noStream: true }));
    const [, failure] = await got.waitFor(2);
    expect(failure.getCorrelationId()?.getString()).toBe(wev);
    expect(Buffer.from(failure.getStreamIdentifier()!.getStreamName_asU8()).toString()).toBe('batch-wev');
    const details = failure.getError()!.getDetails()!;
    expect(details.getTypeName()).toBe('event_store.client.WrongExpectedVersion');
    const unpacked = details.unpack(WrongExpectedVersion.deserializeBinary, 'event_store.client.WrongExpectedVersion')!;
    expect(unpacked.getCurrentStreamRevision()).toBe('0');
    expect(unpacked.hasExpectedNoStream()).toBe(true);

    // A malformed event fails its append alone; later chunks of it are dropped; the call still works.
    const bad = randomUUID();
    const noType = message('X', 9);
    noType.getMetadataMap().del('type');
    call.write(chunk(bad, [noType], false, { stream: 'batch-bad' }));
    call.write(chunk(bad, [message('X', 10)], true));
    const ok = randomUUID();
    call.write(chunk(ok, [message('X', 3)], true, { stream: 'batch-wev' }));
    const all = await got.waitFor(4);
    await new Promise((done) => setTimeout(done, 50));
    expect(byCorrelation(all, bad)).toHaveLength(1);
    expect(byCorrelation(all, bad)[0].getError()!.getDetails()!.getTypeName()).toBe('event_store.client.BadRequest');
    expect(byCorrelation(all, ok)[0].hasSuccess()).toBe(true);
    expect(await eventsOf('batch-bad')).toEqual([]);
    call.cancel();
  });

  it('reports an expired deadline as Timeout and a tombstoned stream as StreamDeleted', async () => {
    const call = server.streams().batchAppend();
    const got = responses(call);
    const late = randomUUID();
    call.write(chunk(late, [message('X', 1)], true, { stream: 'batch-late', deadline: new Date(Date.now() - 1000) }));
    const [timeout] = await got.waitFor(1);
    expect(timeout.getError()!.getDetails()!.getTypeName()).toBe('event_store.client.Timeout');
    expect(await eventsOf('batch-late')).toEqual([]);

    await server.engine.append('batch-gone', { kind: 'any' }, []);
    await server.engine.tombstone('batch-gone', { kind: 'any' });
    const gone = randomUUID();
    call.write(chunk(gone, [message('X', 1)], true, { stream: 'batch-gone' }));
    const [, deleted] = await got.waitFor(2);
    const details = deleted.getError()!.getDetails()!;
    expect(details.getTypeName()).toBe('event_store.client.StreamDeleted');
    expect(details.unpack(StreamDeleted.deserializeBinary, 'event_store.client.StreamDeleted')).toBeTruthy();
    call.cancel();
  });

  it('ends with OK only after the client half-closes, once every append is answered', async () => {
    const call = server.streams().batchAppend();
    const got = responses(call);
    const ended = new Promise<ServiceError | undefined>((done) => {
      call.on('error', (e: ServiceError) => done(e));
      call.on('end', () => done(undefined));
    });
    const id = randomUUID();
    call.write(chunk(id, [message('Y', 1)], true, { stream: 'batch-close' }));
    call.end();
    expect(await ended).toBeUndefined();
    expect(byCorrelation(got.seen, id)).toHaveLength(1);
    expect(call.getPeer()).toBeDefined();
  });

  it('is absent when the server leaves BatchAppend out (UNIMPLEMENTED)', async () => {
    const bare = await startRawServer({ batchAppend: false });
    try {
      const call = bare.streams().batchAppend();
      const error = await new Promise<ServiceError>((done) => call.on('error', done));
      expect(error.code).toBe(status.UNIMPLEMENTED);
    } finally {
      await bare.stop();
    }
  });
});
