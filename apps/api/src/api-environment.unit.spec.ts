// `npm start` passes every setting it reads; tests build the api with ApiOptions and get
// the api's own defaults. Both must be one api: an unset variable means the same default.
import { readEnvironment } from '@newsroom/config';
import { DEFAULT_MAX_CLOCK_SKEW_MS } from '@newsroom/domain';
import { DEFAULT_REQUEST_TIMEOUT_MS } from './bootstrap';
import { DEFAULT_LIVE_FLUSH_MS, DEFAULT_LIVE_MAX_QUEUED_BYTES, DEFAULT_LIVE_WRITES_PER_SECOND } from './live/live-feed.service';
import { DEFAULT_LIVE_CONNECTIONS_PER_TOKEN } from './live/live.controller';

it("given no variable set, when npm start reads the environment, then each setting is the api's own default", () => {
  const config = readEnvironment('api', {});

  expect({
    maxClockSkewMs: config.MAX_CLOCK_SKEW_SECONDS * 1000,
    requestTimeoutMs: config.REQUEST_TIMEOUT_SECONDS * 1000,
    liveFlushMs: config.LIVE_FLUSH_MS,
    liveWritesPerSecond: config.LIVE_WRITES_PER_SECOND,
    liveMaxQueuedBytes: config.LIVE_MAX_QUEUED_BYTES,
    liveConnectionsPerToken: config.LIVE_CONNECTIONS_PER_TOKEN,
  }).toEqual({
    maxClockSkewMs: DEFAULT_MAX_CLOCK_SKEW_MS,
    requestTimeoutMs: DEFAULT_REQUEST_TIMEOUT_MS,
    liveFlushMs: DEFAULT_LIVE_FLUSH_MS,
    liveWritesPerSecond: DEFAULT_LIVE_WRITES_PER_SECOND,
    liveMaxQueuedBytes: DEFAULT_LIVE_MAX_QUEUED_BYTES,
    liveConnectionsPerToken: DEFAULT_LIVE_CONNECTIONS_PER_TOKEN,
  });
});
