import { ConcurrencyError, type AppendOutcome, type ExpectedRevision, type NewEvent, type WriteContext } from '@newsroom/event-store';
import type { StoryAppender } from '../intake/append/story-appender';
import type { ApiMetrics } from './api-metrics';

/**
 * The intake's appender, timed where each outcome comes back to the api's thread (the
 * append itself runs on the append thread), and counting what it recorded by type.
 */
export function meteredAppender(appender: StoryAppender, metrics: ApiMetrics): StoryAppender {
  return {
    appendToStory(storyId: string, events: readonly NewEvent[], expected: ExpectedRevision, context: WriteContext): Promise<AppendOutcome> {
      const started = performance.now();
      return appender.appendToStory(storyId, events, expected, context).then(
        (outcome) => {
          metrics.appendDuration.observe({ outcome: 'recorded' }, (performance.now() - started) / 1000);
          for (const event of events) metrics.eventsRecorded.inc({ type: event.type });
          return outcome;
        },
        (error: unknown) => {
          const outcome = error instanceof ConcurrencyError ? 'conflict' : 'failed';
          metrics.appendDuration.observe({ outcome }, (performance.now() - started) / 1000);
          throw error;
        },
      );
    },
  };
}
