/**
 * The hand codec of BatchAppend against the generated google-protobuf classes the client uses:
 * what the client encodes decodes to the same request, and what the server encodes decodes, with
 * the client's classes, to the same response.
 */
import { Empty as PbEmpty } from 'google-protobuf/google/protobuf/empty_pb';
import { Timestamp } from 'google-protobuf/google/protobuf/timestamp_pb';
import { Any } from 'google-protobuf/google/protobuf/any_pb';
import { StreamIdentifier, UUID, WrongExpectedVersion } from '@eventstore/db-client/generated/shared_pb';
import { Status } from '@eventstore/db-client/generated/status_pb';
import { BatchAppendReq, BatchAppendResp } from '@eventstore/db-client/generated/streams_pb';
import { decodeBatchAppendReq, encodeBatchAppendResp } from './batch-append.codec';

const ID = '5b1f3a34-9c1e-4c1e-9d39-2f6f5d3f7a10';

function proposed(id: UUID, metadata: Record<string, string>, data: string, custom = ''): BatchAppendReq.ProposedMessage {
  const message = new BatchAppendReq.ProposedMessage().setId(id).setData(Buffer.from(data)).setCustomMetadata(Buffer.from(custom));
  for (const [key, value] of Object.entries(metadata)) message.getMetadataMap().set(key, value);
  return message;
}

const text = (bytes: Uint8Array) => Buffer.from(bytes).toString('utf8');

describe('decodeBatchAppendReq', () => {
  it('reads what the client sends: correlation id, options, events with metadata, is_final', () => {
    const options = new BatchAppendReq.Options()
      .setStreamIdentifier(new StreamIdentifier().setStreamName(Buffer.from('story-é')))
      .setStreamPosition('18446744073709551614')
      .setDeadline(new Timestamp().setSeconds(1_700_000_000).setNanos(250_000_000));
    const req = new BatchAppendReq()
      .setCorrelationId(new UUID().setString(ID))
      .setOptions(options)
      .setProposedMessagesList([
        proposed(new UUID().setString(ID.toUpperCase()), { type: 'ReportPublished', 'content-type': 'application/json' }, '{"a":1}', '{"m":2}'),
        proposed(new UUID().setString('not-a-uuid'), { type: '', extra: 'x' }, ''),
      ])
      .setIsFinal(true);

    const decoded = decodeBatchAppendReq(req.serializeBinary());

    expect(decoded.correlationId?.canonical).toBe(ID);
    expect(Buffer.from(decoded.correlationId!.bytes)).toEqual(Buffer.from(new UUID().setString(ID).serializeBinary()));
    expect(text(decoded.options!.streamName!)).toBe('story-é');
    expect(decoded.options!.expected).toEqual({ kind: 'exact', revision: 18446744073709551614n });
    expect(decoded.options!.deadline).toBe(1_700_000_000_250);
    expect(decoded.isFinal).toBe(true);
    const [first, second] = decoded.proposedMessages;
    expect({ ...first, data: text(first.data), customMetadata: text(first.customMetadata), id: first.id?.canonical }).toEqual({
      id: ID,
      type: 'ReportPublished',
      contentType: 'application/json',
      data: '{"a":1}',
      customMetadata: '{"m":2}',
    });
    expect({ id: second.id?.canonical, text: second.id?.text, type: second.type, contentType: second.contentType }).toEqual({
      id: undefined,
      text: 'not-a-uuid',
      type: '',
      contentType: undefined,
    });
  });

  it.each([
    ['no_stream', (o: BatchAppendReq.Options) => o.setNoStream(new PbEmpty()), { kind: 'no_stream' }],
    ['any', (o: BatchAppendReq.Options) => o.setAny(new PbEmpty()), { kind: 'any' }],
    ['stream_exists', (o: BatchAppendReq.Options) => o.setStreamExists(new PbEmpty()), { kind: 'stream_exists' }],
    ['revision 0', (o: BatchAppendReq.Options) => o.setStreamPosition('0'), { kind: 'exact', revision: 0n }],
  ])('reads the expected revision %s', (_label, set, expected) => {
    const options = set(new BatchAppendReq.Options().setStreamIdentifier(new StreamIdentifier().setStreamName(Buffer.from('s'))));
    const decoded = decodeBatchAppendReq(new BatchAppendReq().setOptions(options).serializeBinary());
    expect(decoded.options?.expected).toEqual(expected);
  });

  it('tells a missing stream identifier, an empty name and missing options apart, and reads the structured UUID form', () => {
    const structured = new UUID().setStructured(
      new UUID.Structured().setMostSignificantBits('6566030779361414174').setLeastSignificantBits('-7117605580730041840'),
    );
    const noIdentifier = decodeBatchAppendReq(
      new BatchAppendReq().setCorrelationId(structured).setOptions(new BatchAppendReq.Options().setAny(new PbEmpty())).serializeBinary(),
    );
    const emptyName = decodeBatchAppendReq(
      new BatchAppendReq()
        .setOptions(new BatchAppendReq.Options().setStreamIdentifier(new StreamIdentifier().setStreamName(new Uint8Array(0))))
        .serializeBinary(),
    );
    const chunk = decodeBatchAppendReq(new BatchAppendReq().setIsFinal(false).serializeBinary());

    expect(noIdentifier.correlationId?.canonical).toBe(ID);
    expect(noIdentifier.options).toEqual({ streamName: undefined, expected: { kind: 'any' }, deadline: undefined });
    expect(emptyName.options?.streamName).toEqual(new Uint8Array(0));
    expect(emptyName.options?.expected).toBeUndefined();
    expect(chunk).toEqual({ correlationId: undefined, options: undefined, proposedMessages: [], isFinal: false });
  });

  it('refuses bytes that are no message', () => {
    expect(() => decodeBatchAppendReq(Uint8Array.from([0x0a, 0x10, 0x01]))).toThrow();
  });
});

describe('encodeBatchAppendResp', () => {
  const correlation = new UUID().setString(ID).serializeBinary();
  const decode = (bytes: Buffer) => BatchAppendResp.deserializeBinary(bytes);

  it('encodes a success as the client reads it: correlation id, revision, position, stream', () => {
    const resp = decode(encodeBatchAppendResp(correlation, Buffer.from('story-é'), { kind: 'success', currentRevision: 300n, position: 2n ** 63n }));

    expect(resp.getCorrelationId()?.getString()).toBe(ID);
    expect(text(resp.getStreamIdentifier()!.getStreamName_asU8())).toBe('story-é');
    expect(resp.hasSuccess()).toBe(true);
    expect(resp.getSuccess()!.getCurrentRevision()).toBe('300');
    expect(resp.getSuccess()!.getPosition()!.getCommitPosition()).toBe(String(2n ** 63n));
    expect(resp.getSuccess()!.getPosition()!.getPreparePosition()).toBe(String(2n ** 63n));
  });

  it('encodes no_stream, no_position and revision 0', () => {
    const empty = decode(
      encodeBatchAppendResp(correlation, Buffer.from('s'), { kind: 'success', currentRevision: undefined, position: undefined }),
    ).getSuccess()!;
    const zero = decode(encodeBatchAppendResp(correlation, Buffer.from('s'), { kind: 'success', currentRevision: 0n, position: 1n })).getSuccess()!;

    expect([empty.hasNoStream(), empty.hasCurrentRevision(), empty.hasNoPosition(), empty.hasPosition()]).toEqual([true, false, true, false]);
    expect([zero.hasCurrentRevision(), zero.getCurrentRevision(), zero.getPosition()?.getCommitPosition()]).toEqual([true, '0', '1']);
  });

  it('embeds an error status with its details, and always sets the stream identifier', () => {
    const details = new Any();
    details.pack(
      new WrongExpectedVersion().setCurrentNoStream(new PbEmpty()).setExpectedAny(new PbEmpty()).serializeBinary(),
      'event_store.client.WrongExpectedVersion',
    );
    const status = new Status().setCode(6).setMessage('Wrong expected version.').setDetails(details);

    const resp = decode(encodeBatchAppendResp(correlation, new Uint8Array(0), { kind: 'error', status: status.serializeBinary() }));

    expect(resp.hasError()).toBe(true);
    expect(resp.getError()!.getDetails()!.getTypeName()).toBe('event_store.client.WrongExpectedVersion');
    expect(resp.getError()!.getMessage()).toBe('Wrong expected version.');
    expect(resp.hasStreamIdentifier()).toBe(true);
    expect(resp.getStreamIdentifier()!.getStreamName_asU8()).toHaveLength(0);
  });
});
