/**
 * The real node's maximum append size (1 MiB by default) and malformed input
 * that the client lets through, on both append paths: each is refused with an
 * error, writes nothing, and leaves the store serving.
 */
import { randomUUID } from 'node:crypto';
import {
  MaxAppendSizeExceededError,
  NO_STREAM,
  StreamNotFoundError,
  UnknownError,
  binaryEvent,
  persistentSubscriptionToStreamSettingsFromDefaults,
  jsonEvent,
  type EventData,
} from '@eventstore/db-client';
import { uniqueStream } from '../support/names';
import { collect, rejectionOf, settlesWithin } from '../support/outcomes';
import { describeEachAppendPath, useEmbeddedStore } from '../support/store-under-test';

const MiB = 1024 * 1024;
const REAL_NODE_MAX_APPEND_SIZE = MiB;

function blob(bytes: number, seed = 7) {
  const data = new Uint8Array(bytes);
  for (let i = 0; i < bytes; i += 1) data[i] = (i * seed) & 0xff;
  return binaryEvent({ type: 'BlobStored', data });
}

describeEachAppendPath('limits and malformed input', (store) => {
  const append = (stream: string, events: EventData[]) =>
    settlesWithin(store.client.appendToStream(stream, events, { expectedRevision: NO_STREAM }), `append to ${stream}`, 10_000);
  const expectNothingWritten = async (stream: string) => {
    expect(await rejectionOf(collect(store.client.readStream(stream)))).toBeInstanceOf(StreamNotFoundError);
  };
  const expectStillServing = async () => {
    const stream = uniqueStream('after');
    expect(await append(stream, [jsonEvent({ type: 'FactRecorded', data: { ok: true } })])).toMatchObject({ nextExpectedRevision: 0n });
  };

  it('one event larger than the maximum append size: MaxAppendSizeExceededError with the limit, nothing written', async () => {
    const stream = uniqueStream('huge');
    const error = await rejectionOf(append(stream, [blob(REAL_NODE_MAX_APPEND_SIZE + 1024)]));
    expect(error).toBeInstanceOf(MaxAppendSizeExceededError);
    expect(error).toMatchObject({ maxAppendSize: REAL_NODE_MAX_APPEND_SIZE });
    await expectNothingWritten(stream);
    await expectStillServing();
  });

  it('several events that only together exceed the maximum: refused as a whole', async () => {
    const stream = uniqueStream('huge');
    const error = await rejectionOf(append(stream, [blob(400 * 1024, 3), blob(400 * 1024, 5), blob(400 * 1024, 11)]));
    expect(error).toBeInstanceOf(MaxAppendSizeExceededError);
    await expectNothingWritten(stream);
    await expectStillServing();
  });

  it('an event just under the maximum is stored and read back byte for byte', async () => {
    const stream = uniqueStream('large');
    const event = blob(900 * 1024, 13);
    await append(stream, [event]);
    const [{ event: read }] = await collect(store.client.readStream(stream));
    expect(Buffer.from(read!.data as Uint8Array).equals(Buffer.from(event.data as Uint8Array))).toBe(true);
  });

  it('a message larger than the transport takes is refused, nothing is written, and the store keeps serving', async () => {
    const stream = uniqueStream('oversized');
    await rejectionOf(append(stream, [blob(20 * MiB)]));
    await expectNothingWritten(stream);
    await expectStillServing();
  });

  it('an event id that is not a UUID is refused, nothing is written, and the store keeps serving', async () => {
    const stream = uniqueStream('badid');
    const valid = jsonEvent({ type: 'FactRecorded', data: { n: 0 } });
    const invalid = jsonEvent({ id: 'not-a-uuid', type: 'FactRecorded', data: { n: 1 } });
    // A real node answers with its generic error here (UNKNOWN on Append, an unrecognised error on BatchAppend).
    expect(await rejectionOf(append(stream, [valid, invalid]))).toBeInstanceOf(UnknownError);
    await expectNothingWritten(stream);
    await expectStillServing();
  });

  // A real node refuses these when it builds the event (empty id, empty type) or the write (empty stream name).
  it('the nil UUID as event id is refused, nothing is written', async () => {
    const stream = uniqueStream('nilid');
    const nil = jsonEvent({ id: '00000000-0000-0000-0000-000000000000', type: 'FactRecorded', data: {} });
    await rejectionOf(append(stream, [nil]));
    await expectNothingWritten(stream);
    await expectStillServing();
  });

  it('an empty event type is refused, nothing is written', async () => {
    const stream = uniqueStream('notype');
    await rejectionOf(append(stream, [jsonEvent({ type: '', data: {} })]));
    await expectNothingWritten(stream);
    await expectStillServing();
  });

  it('an empty stream name is refused for appends and deletes', async () => {
    await rejectionOf(settlesWithin(store.client.appendToStream('', jsonEvent({ type: 'FactRecorded', data: {} })), 'append to ""'));
    await rejectionOf(settlesWithin(store.client.deleteStream(''), 'delete ""'));
    await expectStillServing();
  });

  it('an upper-case UUID is accepted and read back in canonical lower case', async () => {
    const stream = uniqueStream('caseid');
    const id = randomUUID();
    await append(stream, [jsonEvent({ id: id.toUpperCase(), type: 'FactRecorded', data: {} })]);
    const [{ event }] = await collect(store.client.readStream(stream));
    expect(event!.id).toBe(id);
  });

  it('an append of no events is acknowledged and creates nothing', async () => {
    const stream = uniqueStream('empty');
    await append(stream, []);
    await expectNothingWritten(stream);
  });
});

describe('embedded only: services it does not implement', () => {
  // A real node serves persistent subscriptions; the embedded store leaves them out, so the call must fail, not hang.
  const store = useEmbeddedStore();

  it('answer an error instead of hanging, and the store keeps serving', async () => {
    const stream = uniqueStream('unimplemented');
    const attempt = store.client.createPersistentSubscriptionToStream(stream, 'group', persistentSubscriptionToStreamSettingsFromDefaults());
    expect(await rejectionOf(settlesWithin(attempt, 'create a persistent subscription'))).toBeInstanceOf(Error);
    const result = await settlesWithin(store.client.appendToStream(stream, jsonEvent({ type: 'FactRecorded', data: {} })), 'append');
    expect(result.nextExpectedRevision).toBe(0n);
  });
});
