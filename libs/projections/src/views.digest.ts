import { sha256 } from '@noble/hashes/sha2';
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils';
import { toCompanyReadModel } from './company.projection';
import { viewsPosition, type NewsroomViews } from './newsroom.views';
import { toStorySummary } from './story-list.projection';
import { toStoryReadModel } from './story-state.projection';
import { getTimeline } from './story-timeline.projection';
import type { Watermark } from './view-event';

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
 * each view's watermark, then its read shapes as JSON, stories and companies
 * sorted by id, the list in its own (creation) order. The read shapes are
 * built with their keys in a fixed order, so equal views give equal text.
 */
export function writeCanonicalViews(views: NewsroomViews, write: (line: string) => void): void {
  const mark = (name: string, applied: Watermark): void => write(`${name} ${applied.position} ${applied.revision}\n`);
  write('newsroom-views 1\n');
  mark('story-states', views.storyStates.applied);
  for (const storyId of [...views.storyStates.stories.keys()].sort()) {
    write(`${JSON.stringify(toStoryReadModel(views.storyStates.stories.get(storyId)!))}\n`);
  }
  mark('story-list', views.storyList.applied);
  for (const entry of views.storyList.entries) write(`${JSON.stringify(toStorySummary(entry))}\n`);
  mark('companies', views.companies.applied);
  for (const companyId of [...views.companies.companies.keys()].sort()) {
    write(`${JSON.stringify(toCompanyReadModel(views.companies.companies.get(companyId)!))}\n`);
  }
  mark('timelines', views.timelines.applied);
  for (const storyId of [...views.timelines.timelines.keys()].sort()) {
    write(`${JSON.stringify(getTimeline(views.timelines, storyId))}\n`);
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
  for (const timeline of views.timelines.timelines.values()) events += timeline.length;
  return {
    position: viewsPosition(views).toString(),
    digest: bytesToHex(hash.digest()),
    stories: views.storyStates.stories.size,
    companies: views.companies.companies.size,
    events,
  };
}
