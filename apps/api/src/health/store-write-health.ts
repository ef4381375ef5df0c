import { type AppendOutcome, type ExpectedRevision, type NewEvent, StoreFullError, type WriteContext } from '@newsroom/event-store';
import type { StoryAppender } from '../intake/append/story-appender';

/**
 * How long /health keeps reporting a full disk after the last failed write when no write has
 * come since: a store that cannot write is seen by writing, and a quiet api writes nothing.
 */
export const WRITE_FAILURE_MEMORY_MS = 60_000;

export interface WriteFailure {
  readonly reason: 'STORE_FULL';
  /** When writes began to fail (ISO time). */
  readonly since: string;
}

/**
 * Whether the store takes writes, learned from the intake's own appends: the last one that
 * failed for want of space marks writes as failing, the next one that succeeds clears it. No
 * probe: the only honest test of writability is a write, and a health check that appended
 * would put its own events into the newsroom's log.
 */
export class StoreWriteHealth {
  private failingSince: number | undefined;
  private lastFailure = 0;

  constructor(
    private readonly now: () => number = Date.now,
    private readonly memoryMs: number = WRITE_FAILURE_MEMORY_MS,
  ) {}

  /** The appender with its outcomes noted here; answers and errors pass through unchanged. */
  watch(appender: StoryAppender): StoryAppender {
    return {
      appendToStory: async (storyId: string, events: readonly NewEvent[], expected: ExpectedRevision, context: WriteContext): Promise<AppendOutcome> => {
        try {
          const outcome = await appender.appendToStory(storyId, events, expected, context);
          this.failingSince = undefined;
          return outcome;
        } catch (error) {
          if (error instanceof StoreFullError) this.failed();
          throw error;
        }
      },
    };
  }

  /** Undefined while writes succeed (or nothing failed for a while); else why and since when. */
  writeFailure(): WriteFailure | undefined {
    if (this.failingSince === undefined) return undefined;
    if (this.now() - this.lastFailure > this.memoryMs) {
      this.failingSince = undefined;
      return undefined;
    }
    return { reason: 'STORE_FULL', since: new Date(this.failingSince).toISOString() };
  }

  private failed(): void {
    this.lastFailure = this.now();
    this.failingSince ??= this.lastFailure;
  }
}
