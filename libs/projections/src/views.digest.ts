import { sha256 } from '@noble/hashes/sha2';
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils';
import { toCompanyReadModel } from './company.projection';
import { viewsPosition, type NewsroomViews } from './newsroom.views';
import { toStorySummary } from './story-list.projection';
import { toStoryReadModel } from './story-state.projection';
import { toStoryTimeline } from './story-timeline.projection';

export interface ViewsDigest {
  /** The commit position the views have reached, as a decimal string ("-1" before any event). */
  readonly position: string;
  /** SHA-256 (hex) of the views' canonical serialisation. */
  readonly digest: string;
  readonly stories: number;
  readonly companies: number;
  readonly events: number;
}

/** Bytes handed to the hash at once: large enough to amortise each call, small enough to stay in cache. */
const CHUNK_CHARS = 1 << 16;

/**
 * Feeds the canonical serialisation of every view to `write`, line by line:
 * the watermark; per story (sorted by id) its state, list summary and
 * timeline as JSON; the list's creation order and status sets; each company
 * (sorted by id). The read shapes are built with their keys in a fixed order,
 * so equal views give equal text.
 */
export function writeCanonicalViews(views: NewsroomViews, write: (line: string) => void): void {
  write(`newsroom-views 1 ${views.applied.position} ${views.applied.revision}\n`);
  for (const storyId of [...views.stories.keys()].sort()) {
    const record = views.stories.get(storyId)!;
    write(`${JSON.stringify(toStoryReadModel(record))}\n`);
    write(`${JSON.stringify(toStorySummary(record))}\n`);
    write(`${JSON.stringify(toStoryTimeline(record))}\n`);
  }
  write('list\n');
  for (const record of views.list.entries) write(`${record.seq} ${record.storyId}\n`);
  for (const [status, records] of [...views.list.byStatus].sort(([a], [b]) => (a < b ? -1 : 1))) {
    write(`status ${status} ${[...records].map((r) => r.storyId).sort().join(' ')}\n`);
  }
  write('companies\n');
  for (const companyId of [...views.companies.keys()].sort()) {
    write(`${JSON.stringify(toCompanyReadModel(views.companies.get(companyId)!))}\n`);
  }
}

/**
 * A digest of all views at the position they reached, equal for a fresh
 * replay and the live views when both applied the same events. SHA-256 comes
 * from @noble/hashes (pure JS, audited) so the lib stays free of node imports
 * and the api and the cli cannot hash differently.
 */
export function digestViews(views: NewsroomViews): ViewsDigest {
  const hash = sha256.create();
  let pending: string[] = [];
  let pendingChars = 0;
  const flush = (): void => {
    hash.update(utf8ToBytes(pending.join('')));
    pending = [];
    pendingChars = 0;
  };
  writeCanonicalViews(views, (line) => {
    pending.push(line);
    pendingChars += line.length;
    if (pendingChars >= CHUNK_CHARS) flush();
  });
  flush();
  let events = 0;
  for (const record of views.stories.values()) events += record.timeline.length;
  return {
    position: viewsPosition(views).toString(),
    digest: bytesToHex(hash.digest()),
    stories: views.stories.size,
    companies: views.companies.size,
    events,
  };
}
