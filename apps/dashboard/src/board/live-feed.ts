import { fetchEventSource } from '@microsoft/fetch-event-source';
import { useEffect, useRef, useState } from 'react';
import { apiUrl } from '../api/api.client';
import type { StoryChange, StreamReady } from '../api/read-shapes';

/** `connecting` until the first `ready`, `live` while the stream is open, `reconnecting` after it dropped. */
export type LiveState = 'connecting' | 'live' | 'reconnecting' | 'refused';

export interface LiveFeedHandlers {
  /** The stream is open; `position` is where the views stand. */
  onReady(position: string): void;
  onChange(change: StoryChange): void;
  /** The feed no longer remembers what this page missed: reload the state. */
  onReset(): void;
}

class StreamRefused extends Error {}
class StreamEnded extends Error {}

/** How long to wait before reconnecting, growing with each failure up to a few seconds. */
const retryDelay = (attempt: number): number => Math.min(250 * 2 ** attempt, 4_000);

/**
 * GET /stream read with fetch, so the token travels in the Authorization header (EventSource
 * cannot send one). After a drop it reconnects by itself with Last-Event-ID (the library
 * keeps the last id it saw), so the api replays what was missed, or says `reset`.
 */
export function openLiveFeed(token: string, handlers: LiveFeedHandlers, onState: (state: LiveState) => void, storyId?: string): () => void {
  const controller = new AbortController();
  let failures = 0;
  fetchEventSource(apiUrl('/stream', { storyId }), {
    headers: { authorization: `Bearer ${token}` },
    signal: controller.signal,
    openWhenHidden: true,
    async onopen(response) {
      if (response.status === 401 || response.status === 403) throw new StreamRefused(`HTTP ${response.status}`);
      if (!response.ok || !(response.headers.get('content-type') ?? '').startsWith('text/event-stream')) {
        throw new Error(`HTTP ${response.status}`);
      }
    },
    onmessage(message) {
      switch (message.event) {
        case 'ready':
          failures = 0;
          onState('live');
          handlers.onReady((JSON.parse(message.data) as StreamReady).position);
          return;
        case 'story':
          handlers.onChange(JSON.parse(message.data) as StoryChange);
          return;
        case 'reset':
          handlers.onReset();
          return;
      }
    },
    onclose() {
      // The api ended the stream (a restart, a slow reader cut off): reconnect as after a drop.
      throw new StreamEnded('the stream ended');
    },
    onerror(error: unknown) {
      if (error instanceof StreamRefused) {
        onState('refused');
        throw error;
      }
      onState('reconnecting');
      return retryDelay(failures++);
    },
  }).catch(() => undefined);
  return () => controller.abort();
}

/** The live state of a feed opened for as long as the calling component is shown. */
export function useLiveFeed(token: string, handlers: LiveFeedHandlers, storyId?: string): LiveState {
  const [state, setState] = useState<LiveState>('connecting');
  // The latest handlers, without reopening the stream each time the component renders.
  const latest = useRef(handlers);
  useEffect(() => {
    latest.current = handlers;
  });
  useEffect(() => {
    setState('connecting');
    return openLiveFeed(
      token,
      {
        onReady: (position) => latest.current.onReady(position),
        onChange: (change) => latest.current.onChange(change),
        onReset: () => latest.current.onReset(),
      },
      setState,
      storyId,
    );
  }, [token, storyId]);
  return state;
}
