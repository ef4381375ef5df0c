import type { StoryEvent } from '../story/story.events';
import { StoryRuleError, type StoryRuleCode } from '../story/story.errors';
import { decide } from '../story/story.decide';
import { foldStory } from '../story/story.evolve';

/**
 * Given/when/then for the story's rules, for this lib's unit tests:
 *   given(published).when(denial).thenAccepted()
 *   given().when(denial).thenRefused('STORY_NOT_FOUND')
 */
export function given(...history: StoryEvent[]) {
  const state = foldStory(history);
  return {
    when(posted: StoryEvent | readonly StoryEvent[]) {
      const attempt = (): readonly StoryEvent[] => decide(state, posted);
      return {
        /** Accepted: the events to append are exactly the posted ones. */
        thenAccepted(): void {
          expect(attempt()).toEqual(Array.isArray(posted) ? posted : [posted]);
        },
        /** Refused with this code (and, when given, these details and this event index). */
        thenRefused(code: StoryRuleCode, expected: { details?: Record<string, unknown>; eventIndex?: number } = {}): StoryRuleError {
          let caught: unknown;
          try {
            attempt();
          } catch (error) {
            caught = error;
          }
          expect(caught).toBeInstanceOf(StoryRuleError);
          const error = caught as StoryRuleError;
          expect(error.code).toBe(code);
          if (expected.details) expect(error.details).toMatchObject(expected.details);
          if (expected.eventIndex !== undefined) expect(error.eventIndex).toBe(expected.eventIndex);
          return error;
        },
      };
    },
  };
}
