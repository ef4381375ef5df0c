import type { StoryEvent } from '@newsroom/domain';
import type { ViewEvent } from '../view-event';

/**
 * Records story events as the store would hand them to the views: each story
 * with its own revisions, every event a higher commit position in `$all`, and
 * the ledger's clock one second further per event (or set by `at`).
 */
export class RecordedLog {
  readonly events: ViewEvent[] = [];
  private position = 0n;
  private clock = Date.parse('2025-01-08T09:00:00Z');
  private readonly revisions = new Map<string, bigint>();

  append(storyId: string, events: readonly StoryEvent[], options: { at?: string; recordedBy?: string } = {}): ViewEvent[] {
    if (options.at !== undefined) this.clock = Date.parse(options.at);
    const recorded = events.map((event) => {
      const revision = (this.revisions.get(storyId) ?? -1n) + 1n;
      this.revisions.set(storyId, revision);
      this.position += 137n; // positions are sparse in a real log
      const recordedAt = new Date(this.clock).toISOString();
      this.clock += 1000;
      return {
        ...event,
        storyId,
        revision,
        position: this.position,
        metadata: { recordedAt, recordedBy: options.recordedBy ?? 'desk-tool' },
      } as ViewEvent;
    });
    this.events.push(...recorded);
    return recorded;
  }

  /** The ledger's clock as it stands (the time the next event would be recorded). */
  now(): string {
    return new Date(this.clock).toISOString();
  }
}
