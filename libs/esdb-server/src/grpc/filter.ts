/**
 * Server-side `$all` filters (esdb-wire.md section 9): on the stream name or
 * the event type, by regex (unanchored search) when one is given, else by any
 * of the prefixes.
 */
import type { ReadReq } from '@eventstore/db-client/generated/streams_pb';
import type { StoredEvent } from '../storage/storage.types';

/** The real node's search window when the client asks for its default (`count`). */
const DEFAULT_WINDOW = 32;

export interface EventFilter {
  matches(event: StoredEvent): boolean;
  /** Considered events between two checkpoints. */
  readonly checkpointInterval: number;
}

export function buildFilter(options: ReadReq.Options.FilterOptions): EventFilter | string {
  const onStream = options.hasStreamIdentifier();
  const expression = onStream ? options.getStreamIdentifier() : options.getEventType();
  const window = options.hasMax() && options.getMax() > 0 ? options.getMax() : DEFAULT_WINDOW;
  const multiplier = options.getCheckpointintervalmultiplier() > 0 ? options.getCheckpointintervalmultiplier() : 1;
  const checkpointInterval = window * multiplier;
  if (!expression) return { matches: () => true, checkpointInterval };
  const pick = onStream ? (e: StoredEvent) => e.streamId : (e: StoredEvent) => e.type;
  const source = expression.getRegex();
  if (source !== '') {
    let regex: RegExp;
    try {
      regex = new RegExp(source);
    } catch {
      return `Invalid filter regex: ${source}`;
    }
    return { matches: (e) => regex.test(pick(e)), checkpointInterval };
  }
  const prefixes = expression.getPrefixList();
  return { matches: (e) => prefixes.some((p) => pick(e).startsWith(p)), checkpointInterval };
}
