import type { AppendOutcome, ExpectedRevision, NewEvent, WriteContext } from '@newsroom/event-store';

/**
 * Where the intake's appends go, as Nest's token for them: the event-store adapter itself,
 * or the append thread that runs one on a worker (what the app uses, see append.thread.ts).
 * Both answer alike: the same outcome, the same event-store errors.
 */
export abstract class StoryAppender {
  abstract appendToStory(storyId: string, events: readonly NewEvent[], expected: ExpectedRevision, context: WriteContext): Promise<AppendOutcome>;
}
