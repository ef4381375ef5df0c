/**
 * Idempotent appends (esdb-wire.md 5.3): a retried append whose event ids are
 * already written at that place is acknowledged and writes nothing twice, on
 * both append paths.
 */
import { ANY, NO_STREAM, WrongExpectedVersionError, jsonEvent, type AppendExpectedRevision, type EventData } from '@eventstore/db-client';
import { randomUUID } from 'node:crypto';
import { uniqueStream } from '../support/names';
import { collect, rejectionOf, settlesWithin } from '../support/outcomes';
import { describeEachAppendPath } from '../support/store-under-test';

/** Events with fixed ids, as a retrying writer would send them again. */
const withIds = (count: number) => Array.from({ length: count }, (_, n) => jsonEvent({ id: randomUUID(), type: 'SourceCited', data: { n } }));

describeEachAppendPath('idempotent appends', (store) => {
  const append = (stream: string, events: EventData[], expectedRevision: AppendExpectedRevision) =>
    settlesWithin(store.client.appendToStream(stream, events, { expectedRevision }), `append to ${stream}`);
  const idsIn = async (stream: string) => (await collect(store.client.readStream(stream))).map((resolved) => resolved.event!.id);

  it('a retried no_stream append is acknowledged again and written once', async () => {
    const stream = uniqueStream();
    const events = withIds(3);
    const first = await append(stream, events, NO_STREAM);
    const retry = await append(stream, events, NO_STREAM);
    expect(retry).toMatchObject({ success: true, nextExpectedRevision: first.nextExpectedRevision });
    expect(await idsIn(stream)).toEqual(events.map((event) => event.id));
  });

  it('a retried exact-revision append is acknowledged again and written once', async () => {
    const stream = uniqueStream();
    const opening = withIds(1);
    const events = withIds(2);
    await append(stream, opening, NO_STREAM);
    await append(stream, events, 0n);
    expect(await append(stream, events, 0n)).toMatchObject({ success: true, nextExpectedRevision: 2n });
    expect(await idsIn(stream)).toEqual([...opening, ...events].map((event) => event.id));
  });

  it('a retried any append is acknowledged again and written once', async () => {
    const stream = uniqueStream();
    const events = withIds(2);
    await append(stream, events, ANY);
    expect(await append(stream, events, ANY)).toMatchObject({ success: true });
    expect(await idsIn(stream)).toEqual(events.map((event) => event.id));
  });

  it('a retry that arrives after the stream moved on is still acknowledged, and nothing is written twice', async () => {
    const stream = uniqueStream();
    const events = withIds(2);
    const later = withIds(2);
    await append(stream, events, NO_STREAM);
    await append(stream, later, 1n);
    expect(await append(stream, events, NO_STREAM)).toMatchObject({ success: true });
    expect(await idsIn(stream)).toEqual([...events, ...later].map((event) => event.id));
  });

  it('a retry from another connection is acknowledged too', async () => {
    const stream = uniqueStream();
    const events = withIds(2);
    await append(stream, events, NO_STREAM);
    const other = store.newClient();
    await settlesWithin(other.appendToStream(stream, events, { expectedRevision: NO_STREAM }), 'retry from another client');
    expect(await idsIn(stream)).toEqual(events.map((event) => event.id));
  });

  it('other event ids at an occupied place are refused with WrongExpectedVersionError', async () => {
    const stream = uniqueStream();
    await append(stream, withIds(2), NO_STREAM);
    const error = await rejectionOf(append(stream, withIds(2), NO_STREAM));
    expect(error).toBeInstanceOf(WrongExpectedVersionError);
    expect(error).toMatchObject({ streamName: stream, actualVersion: 1n });
  });

  it('a retry that only partly matches what is written is refused and writes nothing', async () => {
    const stream = uniqueStream();
    const events = withIds(2);
    await append(stream, events, NO_STREAM);
    const error = await rejectionOf(append(stream, [...events, ...withIds(1)], NO_STREAM));
    expect(error).toBeInstanceOf(WrongExpectedVersionError);
    expect(await idsIn(stream)).toEqual(events.map((event) => event.id));
  });
});
