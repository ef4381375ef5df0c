import { STORY_EVENT_TYPES, isStoryEventType } from './story.events';
import { storyIdFromStreamName, storyStreamName } from './story.stream';

describe('story streams', () => {
  it('are named story-<storyId> and parse back', () => {
    expect(storyStreamName('ford-xiaomi-us-ev-talks')).toBe('story-ford-xiaomi-us-ev-talks');
    expect(storyIdFromStreamName('story-ford-xiaomi-us-ev-talks')).toBe('ford-xiaomi-us-ev-talks');
  });

  it.each(['$all', 'stories-x', 'story-', 'story-a b', `story-${'x'.repeat(129)}`, '$et-ReportPublished'])('are not %p', (name) => {
    expect(storyIdFromStreamName(name)).toBeUndefined();
  });
});

describe('event type names', () => {
  it('are the six of the catalogue, a contract that never changes', () => {
    expect(STORY_EVENT_TYPES).toEqual(['ReportPublished', 'SourceCited', 'CompanyDenied', 'CompanyConfirmed', 'ReportCorrected', 'ReportRetracted']);
    expect(isStoryEventType('CompanyDenied')).toBe(true);
    expect(isStoryEventType('companydenied')).toBe(false);
    expect(isStoryEventType(undefined)).toBe(false);
  });
});
