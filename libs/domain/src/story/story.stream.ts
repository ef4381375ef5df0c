import { isIdentifier } from '../identifier.rules';

/** One stream per story: `story-<storyId>`. */
export const STORY_STREAM_PREFIX = 'story-';

export function storyStreamName(storyId: string): string {
  return `${STORY_STREAM_PREFIX}${storyId}`;
}

/** The storyId of a story stream's name, or undefined for any other stream. */
export function storyIdFromStreamName(streamName: string): string | undefined {
  if (!streamName.startsWith(STORY_STREAM_PREFIX)) return undefined;
  const storyId = streamName.slice(STORY_STREAM_PREFIX.length);
  return isIdentifier(storyId) ? storyId : undefined;
}
