import { decide, evolve, initialStoryState, type StoryState } from '@newsroom/domain';
import { generateNewsroomLog } from './newsroom-log.generator';

describe('generated newsroom log', () => {
  describe('given 20,000 events over 1,000 stories', () => {
    const log = [...generateNewsroomLog({ events: 20_000, stories: 1_000, seed: 7 })];

    it("then the domain's rules accept every event, posted one by one", () => {
      const states = new Map<string, StoryState>();
      for (const { storyId, event } of log) {
        const state = states.get(storyId) ?? initialStoryState;
        const accepted = decide(state, event);
        states.set(storyId, accepted.reduce(evolve, state));
      }
      expect(states.size).toBeGreaterThan(990);
    });

    it('then every event type occurs, and the same seed gives the same log', () => {
      expect(new Set(log.map((e) => e.event.type))).toEqual(
        new Set(['ReportPublished', 'SourceCited', 'CompanyDenied', 'CompanyConfirmed', 'ReportCorrected', 'ReportRetracted']),
      );
      expect(JSON.stringify([...generateNewsroomLog({ events: 20_000, stories: 1_000, seed: 7 })])).toBe(JSON.stringify(log));
    });
  });
});
