import { useCallback, useEffect, useState } from 'react';
import { apiRequest, describeError, type Query } from '../api/api.client';
import type { StoryReadModel, StoryTimeline } from '../api/read-shapes';

export interface LoadedStory {
  readonly story: StoryReadModel;
  readonly timeline: StoryTimeline;
}

/** A story and its timeline, read together; `reload(minPosition)` reads them again once the views hold that position. */
export function useStory(token: string, storyId: string): { loaded: LoadedStory | null; error: string | null; reload(minPosition?: string): void } {
  const [loaded, setLoaded] = useState<LoadedStory | null>(null);
  const [error, setError] = useState<string | null>(null);
  const reload = useCallback(
    (minPosition?: string) => {
      const query: Query = { minPosition };
      const path = `/stories/${encodeURIComponent(storyId)}`;
      Promise.all([apiRequest<StoryReadModel>(path, { token, query }), apiRequest<StoryTimeline>(`${path}/timeline`, { token, query })]).then(
        ([story, timeline]) => {
          setLoaded({ story: story.data, timeline: timeline.data });
          setError(null);
        },
        (failure: unknown) => setError(describeError(failure)),
      );
    },
    [token, storyId],
  );
  useEffect(() => {
    setLoaded(null);
    reload();
  }, [reload]);
  return { loaded, error, reload };
}
