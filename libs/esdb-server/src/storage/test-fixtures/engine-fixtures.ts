/** Helpers the storage tests share: proposed events and compact views of what the engine returns. */
import { randomUUID } from 'node:crypto';
import type { Direction, ProposedEvent, StorageEngine, StoredEvent, StreamFrom } from '../storage.types';

export function jsonEvent(type = 'ReportPublished', data: unknown = {}, id: string = randomUUID()): ProposedEvent {
  return { id, type, isJson: true, data: Buffer.from(JSON.stringify(data), 'utf8'), metadata: new Uint8Array(0) };
}

export function metadataEvent(body: string): ProposedEvent {
  return { id: randomUUID(), type: '$metadata', isJson: true, data: Buffer.from(body, 'utf8'), metadata: new Uint8Array(0) };
}

export function text(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8');
}

export const MANY = 1_000_000_000n;

export function allEvents(engine: StorageEngine): StoredEvent[] {
  return [...engine.readAll('start', 'forwards', MANY)];
}

/** `$all` without the system streams (names starting with `$`), as the client's filter would. */
export function userEvents(engine: StorageEngine): StoredEvent[] {
  return allEvents(engine).filter((event) => !event.streamId.startsWith('$'));
}

/** The revisions a stream read returns, or its outcome when it is not ok. */
export function revisionsRead(
  engine: StorageEngine,
  streamId: string,
  from: StreamFrom = 'start',
  direction: Direction = 'forwards',
  maxCount: bigint = MANY,
): bigint[] | 'not_found' | 'deleted' {
  const result = engine.readStream(streamId, from, direction, maxCount);
  return result.outcome === 'ok' ? [...result.events].map((event) => event.revision) : result.outcome;
}

export function eventsRead(engine: StorageEngine, streamId: string): StoredEvent[] {
  const result = engine.readStream(streamId, 'start', 'forwards', MANY);
  if (result.outcome !== 'ok') throw new Error(`${streamId}: ${result.outcome}`);
  return [...result.events];
}
