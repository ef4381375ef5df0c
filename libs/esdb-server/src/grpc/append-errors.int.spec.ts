import { Metadata, status, type ServiceError } from '@grpc/grpc-js';
import { Empty } from '@eventstore/db-client/generated/shared_pb';
import type { SupportedMethods } from '@eventstore/db-client/generated/serverfeatures_pb';
import { DeleteReq, TombstoneReq, type DeleteResp, type TombstoneResp } from '@eventstore/db-client/generated/streams_pb';
import { identifier, proposed, rawAppend, rawRead, startRawServer, streamReadRequest, trailers, type RawServer } from './test/raw-client';

/** What only raw gRPC shows: status codes, trailers, and that a refused request leaves nothing behind. */
describe('Streams over raw gRPC: errors and features', () => {
  let server: RawServer;

  beforeAll(async () => {
    server = await startRawServer();
  });
  afterAll(() => server.stop());

  const notWritten = async (stream: string) => {
    const read = await rawRead(server.streams(), streamReadRequest(stream));
    expect(read.error).toBeUndefined();
    expect(read.messages).toHaveLength(1);
    expect(read.messages[0].hasStreamNotFound()).toBe(true);
  };

  it('lists exactly the implemented methods, lower-case, with a server version', async () => {
    const answer = await new Promise<SupportedMethods>((done, fail) =>
      server.features().getSupportedMethods(new Empty(), (error, value) => (error ? fail(error) : done(value!))),
    );
    const paths = answer.getMethodsList().map((m) => `/${m.getServiceName()}/${m.getMethodName()}`);
    expect(paths.sort()).toEqual(
      [
        '/event_store.client.server_features.serverfeatures/getsupportedmethods',
        '/event_store.client.streams.streams/append',
        '/event_store.client.streams.streams/batchappend',
        '/event_store.client.streams.streams/delete',
        '/event_store.client.streams.streams/read',
        '/event_store.client.streams.streams/tombstone',
      ].sort(),
    );
    expect(answer.getEventStoreServerVersion()).not.toBe('');
  });

  it('refuses an event without content-type: INVALID_ARGUMENT with the metadata trailers, nothing written', async () => {
    const outcome = await rawAppend(server.streams(), 'no-content-type', [proposed('Fine', { a: 1 }), proposed('Bad', { a: 2 }, { contentType: null })]);
    expect(outcome.error?.code).toBe(status.INVALID_ARGUMENT);
    expect(trailers(outcome.error)).toMatchObject({
      exception: 'missing-required-metadata-property',
      'required-metadata-properties': 'type,content-type',
    });
    await notWritten('no-content-type');
  });

  it('refuses an event without type the same way', async () => {
    const outcome = await rawAppend(server.streams(), 'no-type', [proposed(undefined, { a: 1 })]);
    expect(trailers(outcome.error)).toMatchObject({ exception: 'missing-required-metadata-property' });
    await notWritten('no-type');
  });

  it('refuses a malformed event id as a real node does (handler exception), nothing written', async () => {
    const outcome = await rawAppend(server.streams(), 'bad-id', [proposed('T', {}), proposed('T', {}, { id: 'not-a-uuid' })]);
    expect(outcome.error?.code).toBe(status.UNKNOWN);
    await notWritten('bad-id');
  });

  it('accepts the other UUID spellings .NET parses and answers with the canonical form', async () => {
    const outcome = await rawAppend(server.streams(), 'uuid-forms', [
      proposed('T', {}, { id: '{6F9619FF-8B86-D011-B42D-00CF4FC964FF}' }),
      proposed('T', {}, { id: '6f9619ff8b86d011b42d00cf4fc964fe' }),
    ]);
    expect(outcome.error).toBeUndefined();
    const read = await rawRead(server.streams(), streamReadRequest('uuid-forms'));
    expect(read.messages.map((m) => m.getEvent()!.getEvent()!.getId()!.getString())).toEqual([
      '6f9619ff-8b86-d011-b42d-00cf4fc964ff',
      '6f9619ff-8b86-d011-b42d-00cf4fc964fe',
    ]);
  });

  it('refuses an append over 1 MiB with maximum-append-size-exceeded, not a transport error, and stays up', async () => {
    const big = Buffer.alloc(600 * 1024, 1);
    const outcome = await rawAppend(server.streams(), 'too-big', [
      proposed('Blob', null, { bytes: big, contentType: 'application/octet-stream' }),
      proposed('Blob', null, { bytes: big, contentType: 'application/octet-stream' }),
    ]);
    expect(outcome.error?.code).toBe(status.INVALID_ARGUMENT);
    expect(trailers(outcome.error)).toEqual(expect.objectContaining({ exception: 'maximum-append-size-exceeded', 'maximum-append-size': String(1024 * 1024) }));
    await notWritten('too-big');
    // A single 5 MiB message passes the transport (above grpc-js's 4 MiB default) and gets the same answer.
    const huge = await rawAppend(server.streams(), 'too-big', [
      proposed('Blob', null, { bytes: Buffer.alloc(5 * 1024 * 1024, 2), contentType: 'application/octet-stream' }),
    ]);
    expect(trailers(huge.error).exception).toBe('maximum-append-size-exceeded');
    const after = await rawAppend(server.streams(), 'after-too-big', [proposed('T', {})]);
    expect(after.response?.hasSuccess()).toBe(true);
  });

  it('answers bytes that are no protobuf with an error and stays up', async () => {
    const client = server.streams();
    // Field 1 (options) announced with a length far beyond the message.
    const garbage = Buffer.from([0x0a, 0xff, 0xff, 0x03, 0x01]);
    const error = await new Promise<{ code?: number }>((done) => {
      const call = client.makeClientStreamRequest(
        '/event_store.client.streams.Streams/Append',
        (b: Buffer) => b,
        (b: Buffer) => b,
        new Metadata(),
        {},
        (e) => done(e ?? {}),
      );
      call.write(garbage);
      call.end();
    });
    expect(error.code).toBe(status.INTERNAL);
    const after = await rawAppend(server.streams(), 'after-garbage', [proposed('T', {})]);
    expect(after.response?.hasSuccess()).toBe(true);
  });

  it('sends wrong-expected-version of a delete through trailers with the integer codes', async () => {
    const options = new DeleteReq.Options().setStreamIdentifier(identifier('never-written')).setNoStream(new Empty());
    const error = await new Promise<ServiceError | null>((done) =>
      server.streams().delete(new DeleteReq().setOptions(options), new Metadata(), (e) => done(e)),
    );
    expect(error?.code).toBe(status.FAILED_PRECONDITION);
    const t = trailers(error ?? undefined);
    expect(t.exception).toBe('wrong-expected-version');
    expect(t['stream-name']).toBe('never-written');
    expect(t['expected-version']).toBe('-1');
  });

  it('makes a tombstoned stream fail reads and appends with stream-deleted, its name ASCII-escaped', async () => {
    const name = 'café-société';
    expect((await rawAppend(server.streams(), name, [proposed('T', {})])).response?.hasSuccess()).toBe(true);
    const options = new TombstoneReq.Options().setStreamIdentifier(identifier(name)).setAny(new Empty());
    const tombstoned = await new Promise<TombstoneResp>((done, fail) =>
      server.streams().tombstone(new TombstoneReq().setOptions(options), (e, r) => (e ? fail(e) : done(r!))),
    );
    expect(tombstoned.hasPosition()).toBe(true);

    const read = await rawRead(server.streams(), streamReadRequest(name));
    expect(read.error?.code).toBe(status.FAILED_PRECONDITION);
    expect(trailers(read.error)).toEqual(expect.objectContaining({ exception: 'stream-deleted', 'stream-name': 'caf%C3%A9-soci%C3%A9t%C3%A9' }));

    const append = await rawAppend(server.streams(), name, [proposed('T', {})]);
    expect(append.error?.code).toBe(status.FAILED_PRECONDITION);
    expect(trailers(append.error).exception).toBe('stream-deleted');

    const again = await new Promise<{ code?: number; metadata?: Metadata }>((done) =>
      server
        .streams()
        .delete(new DeleteReq().setOptions(new DeleteReq.Options().setStreamIdentifier(identifier(name)).setAny(new Empty())), (e: unknown, _r?: DeleteResp) =>
          done((e ?? {}) as { code?: number }),
        ),
    );
    expect(again.code).toBe(status.FAILED_PRECONDITION);
  });
});
