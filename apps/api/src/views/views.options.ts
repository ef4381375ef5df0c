import type { StoryEventSource } from './projection.runner';

/** How the api's views are kept and read; every field has a default. */
export interface ViewsOptions {
  /** Where the views read the story events: the api's own adapter unless given (the app passes its feed thread). */
  readonly feed?: StoryEventSource;
  /** Longest a read with `?minPosition=` waits for the views. Default 5,000 ms. */
  readonly readWaitMs?: number;
  /** First pause before resubscribing after a drop (doubles per attempt). Default 100 ms. */
  readonly initialBackoffMs?: number;
  /** Longest pause between resubscriptions. Default 5,000 ms. */
  readonly maxBackoffMs?: number;
  /** Live-feed heartbeat (an SSE comment) period. Default 15,000 ms. */
  readonly heartbeatMs?: number;
  /** Story changes the live feed keeps for `Last-Event-ID` resumes. Default 10,000. */
  readonly feedReplayCapacity?: number;
  /** Longest a live change waits to be written with others (one write per stream per flush), with few streams. Default 5 ms. */
  readonly liveFlushMs?: number;
  /** Writes a second the live flushes may cost: with many streams the interval stretches to streams / this. Default 20,000. */
  readonly liveWritesPerSecond?: number;
  /** Changes pending past this many bytes are written without waiting for the interval. Default 64 KiB. */
  readonly liveFlushBytes?: number;
  /** A stream whose client has not taken this many bytes is sent `event: reset` and closed. Default 1 MiB. */
  readonly liveMaxQueuedBytes?: number;
  /** Streams one token may hold open at once; one more is answered 429. Default 1,000. */
  readonly liveConnectionsPerToken?: number;
}

export const VIEWS_OPTIONS = Symbol('VIEWS_OPTIONS');

export const DEFAULT_READ_WAIT_MS = 5_000;
