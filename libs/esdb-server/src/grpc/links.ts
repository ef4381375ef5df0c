/**
 * Link events (`$>`, data `"<revision>@<stream>"`) resolved for reads that
 * ask for it (`resolve_links`), as a real node does: the target becomes the
 * event and the link record rides along; a target that cannot be read leaves
 * the event unset and the link set.
 */
import type { StorageEngine, StoredEvent } from '../storage';
import { encodeEventResp, encodeResolvedResp } from './read-resp.encoder';

const LINK_TYPE = '$>';
const utf8 = new TextDecoder('utf-8');

function target(engine: StorageEngine, link: StoredEvent): StoredEvent | undefined {
  const text = utf8.decode(link.data);
  const at = text.indexOf('@');
  if (at <= 0) return undefined;
  const revisionText = text.slice(0, at);
  if (!/^\d+$/.test(revisionText)) return undefined;
  const revision = BigInt(revisionText);
  const result = engine.readStream(text.slice(at + 1), revision, 'forwards', 1n);
  if (result.outcome !== 'ok') return undefined;
  for (const event of result.events) return event.revision === revision ? event : undefined;
  return undefined;
}

/** The encoder for a read: plain, or resolving links. */
export function eventEncoder(engine: StorageEngine, resolveLinks: boolean): (event: StoredEvent) => Buffer {
  if (!resolveLinks) return encodeEventResp;
  return (event) => (event.type === LINK_TYPE ? encodeResolvedResp(target(engine, event), event, event.position) : encodeEventResp(event));
}
