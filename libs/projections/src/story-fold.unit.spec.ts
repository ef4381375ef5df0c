import { evolve, initialStoryState, SEED_STORY_EVENTS, type StoryEvent, type StoryState } from '@newsroom/domain';
import { generateNewsroomLog } from './newsroom-log.generator';
import { emptyFoldedStory, foldInPlace, type FoldedStory } from './story-fold';

describe('the in-place fold', () => {
  it("given the seed story, then it gives the domain's state", () => {
    const folded = emptyFoldedStory();
    for (const event of SEED_STORY_EVENTS) foldInPlace(folded, event);
    expect(folded).toEqual(SEED_STORY_EVENTS.reduce(evolve, initialStoryState));
  });

  it("given a generated log of every event type over 300 stories, then each story is the domain's state, field for field", () => {
    const byStory = new Map<string, StoryEvent[]>();
    for (const { storyId, event } of generateNewsroomLog({ events: 6_000, stories: 300, seed: 11 })) {
      byStory.set(storyId, [...(byStory.get(storyId) ?? []), event]);
    }
    for (const events of byStory.values()) {
      const folded: FoldedStory = emptyFoldedStory();
      for (const event of events) foldInPlace(folded, event);
      const domain: StoryState = events.reduce(evolve, initialStoryState);
      expect(folded).toEqual(domain);
    }
  });
});
