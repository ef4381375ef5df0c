import type { StoryState } from '@newsroom/domain';

/** A story's state as this process last wrote or read it, and the revision it belongs to. */
export interface CachedStory {
  /** Revision of the story's last event; -1 for a story without events. */
  readonly revision: number;
  readonly state: StoryState;
}

/**
 * The states of recently written stories, least recently used evicted first. A hint,
 * never the truth: an append made from a cached state carries the cached revision as
 * its expected revision, so the store refuses it if anyone (another replica) wrote in
 * between, and the intake then reads the stream.
 */
export class StoryStateCache {
  private readonly entries = new Map<string, CachedStory>();

  constructor(private readonly capacity: number) {}

  get(storyId: string): CachedStory | undefined {
    const entry = this.entries.get(storyId);
    if (entry !== undefined) {
      // Map keeps insertion order: re-inserting marks the entry as the most recent.
      this.entries.delete(storyId);
      this.entries.set(storyId, entry);
    }
    return entry;
  }

  set(storyId: string, entry: CachedStory): void {
    this.entries.delete(storyId);
    this.entries.set(storyId, entry);
    if (this.entries.size > this.capacity) {
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.entries.delete(oldest);
    }
  }

  forget(storyId: string): void {
    this.entries.delete(storyId);
  }

  get size(): number {
    return this.entries.size;
  }
}
