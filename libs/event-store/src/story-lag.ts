import { BACKWARDS, END, type EventStoreDBClient, type Position } from '@eventstore/db-client';
import { STORY_STREAM_PREFIX } from '@newsroom/domain';
import { toEventStoreError } from './client-error.mapping';

/** Records read per backward page; a subscriber that is caught up needs only the first. */
const PAGE = 64;

/**
 * How many story events `$all` holds after commit position `after` (a subscriber's lag in
 * events), counted backwards from the end and at most `limit`: a far-behind subscriber
 * reads as `limit` rather than costing a read of the whole backlog.
 */
export async function countStoryEventsAfter(client: EventStoreDBClient, after: bigint, limit: number, deadlineMs?: number): Promise<number> {
  let count = 0;
  let from: Position | typeof END = END;
  try {
    for (;;) {
      let read = 0;
      let reachedOlder = false;
      let oldest: Position | undefined;
      const page = client.readAll({ direction: BACKWARDS, fromPosition: from, maxCount: PAGE, ...(deadlineMs === undefined ? {} : { deadline: deadlineMs }) });
      // Read every page to its end: leaving a read early keeps its call open.
      for await (const resolved of page) {
        read += 1;
        const position = resolved.event?.position;
        if (position === undefined || reachedOlder || count >= limit) continue;
        // A page from a position may or may not repeat the record at that position.
        if (from !== END && !isBefore(position, from)) continue;
        oldest = position;
        if (position.commit <= after) reachedOlder = true;
        else if (resolved.event!.streamId.startsWith(STORY_STREAM_PREFIX)) count += 1;
      }
      if (reachedOlder || count >= limit || read < PAGE || oldest === undefined) return Math.min(count, limit);
      from = oldest;
    }
  } catch (error) {
    throw toEventStoreError(error, '$all');
  }
}

function isBefore(a: Position, b: Position): boolean {
  return a.commit < b.commit || (a.commit === b.commit && a.prepare < b.prepare);
}
