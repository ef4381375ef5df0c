import { randomUUID } from 'node:crypto';
import fastifyCors from '@fastify/cors';
import { type LogLevel, type ModuleMetadata } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { SwaggerModule } from '@nestjs/swagger';
import { LogController } from 'fastify';
import type { DestinationStream } from 'pino';
import { EventStoreAdapter } from '@newsroom/event-store';
import { AccessTokens } from './auth/access-tokens';
import { authenticationHook } from './auth/authentication.hook';
import { defaultDashboardDir, serveDashboard } from './dashboard/dashboard.assets';
import { AppModule } from './app.module';
import type { ViewsOptions } from './views/views.options';
import { corsHeadersOnRawResponse, corsOptions } from './cors/cross-origin';
import { clientErrorHandler, frameworkErrors } from './errors/framework-errors';
import { type EmbeddedStoreThread, startEmbeddedStoreThread } from './store/embedded-store.thread';
import { startStoryFeedThread } from './views/story-feed.thread';
import { startAppendThread } from './intake/append/append.thread';
import { buildOpenApiDocument } from './openapi/openapi.document';
import { requestTimeoutHook } from './intake/request-timeout.hook';
import { useStrictUtf8Json } from './intake/utf8-json.parser';
import { ApiMetrics } from './observability/api-metrics';
import { type ApiLogLevel, createLogger, levelOfNestLevels } from './observability/logger';
import { meteredAppender } from './observability/metered-appender';
import { ObservabilityModule } from './observability/observability.module';
import { PinoNestLogger } from './observability/pino-nest.logger';
import { requestObserver } from './observability/request-observer.hook';
import type { RateLimits } from './rate-limit/rate-limit.options';
import { limitRequestsPerToken } from './rate-limit/token-rate-limit.hook';

/**
 * The largest body the intake reads: a real EventStoreDB node refuses appends over
 * 1 MiB by default, so a larger post could never be recorded in one piece anyway.
 */
export const BODY_LIMIT_BYTES = 1024 * 1024;

/**
 * Longest a client may take to send a whole request, headers and body (RFC 9110 408
 * after it): a client that trickles its body would otherwise hold a connection for as
 * long as it likes, and a few thousand such clients hold the api.
 */
export const DEFAULT_REQUEST_TIMEOUT_MS = 30_000;

/** Longest path parameter routed at all; our own checks refuse anything over 128 with a 400. */
const MAX_PARAM_LENGTH = 1024;

export interface ApiOptions {
  /** A real EventStoreDB (`esdb://…`); without it the embedded store starts in-process, on a thread of its own. */
  readonly connectionString?: string;
  /** The embedded store, when no connection string is given. */
  readonly embeddedStore?: {
    readonly dataDir?: string;
    readonly memory?: boolean;
    readonly host?: string;
    /** Default 2113, as a real node; 0 picks a free port. */
    readonly port?: number;
  };
  /** `token=role+role,…` as in NEWSROOM_TOKENS; undefined or blank: the development tokens. */
  readonly tokens?: string;
  /** Origins whose pages may call the api (NEWSROOM_CORS_ORIGINS, parsed); none by default. */
  readonly corsOrigins?: readonly string[];
  /** Default 3000; 0 picks a free port. */
  readonly port?: number;
  /** Default 127.0.0.1; `0.0.0.0` in a container. */
  readonly host?: string;
  /** Nest's log levels, or false for silence (the default for tests is errors only). */
  readonly logger?: false | LogLevel[];
  /** LOG_LEVEL: pino's level, over `logger` (`info` logs one line per request). */
  readonly logLevel?: ApiLogLevel;
  /** Where the JSON log lines go (a test's capture); default stdout, pretty on a terminal. */
  readonly logDestination?: DestinationStream;
  /** Stamps `recordedAt`, and is "now" for world times ahead of the clock. */
  readonly clock?: () => Date;
  /** How far ahead of the clock a posted world time may be. Default 24 hours (MAX_CLOCK_SKEW_SECONDS). */
  readonly maxClockSkewMs?: number;
  /** Longest a client may take to send a request, body included, before a 408. Default 30 s (REQUEST_TIMEOUT_SECONDS). */
  readonly requestTimeoutMs?: number;
  /** More feature modules for the app. */
  readonly imports?: ModuleMetadata['imports'];
  /** The read side's settings (e.g. how long ?minPosition= waits). */
  readonly views?: ViewsOptions;
  /** The built desk (index.html and assets/); default dist/apps/dashboard of the checkout. */
  readonly dashboardDir?: string;
  /** Each token's budgets of writes and reads (main: NEWSROOM_RATE_LIMIT_*); none by default. */
  readonly rateLimits?: RateLimits;
}

export interface CreatedApp {
  readonly app: NestFastifyApplication;
  readonly store: EventStoreAdapter;
  readonly tokens: AccessTokens;
  /** `esdb://…` of the store the app writes to (the embedded one's when it started it). */
  readonly storeConnectionString: string;
  /** Closes the app, the client, and the embedded store if this call started it. */
  close(): Promise<void>;
}

export interface RunningApi extends CreatedApp {
  /** `http://host:port` the api listens on. */
  readonly url: string;
  stop(): Promise<void>;
}

/** Builds the app (not listening): the store connection, the tokens, Fastify, /docs. */
export async function createApp(options: ApiOptions = {}): Promise<CreatedApp> {
  const tokens = AccessTokens.parse(options.tokens);
  let embedded: EmbeddedStoreThread | undefined;
  let connectionString = options.connectionString;
  if (connectionString === undefined || connectionString === '') {
    embedded = await startEmbeddedStoreThread({
      ...(options.embeddedStore?.dataDir === undefined ? {} : { dataDir: options.embeddedStore.dataDir }),
      ...(options.embeddedStore?.memory === undefined ? {} : { memory: options.embeddedStore.memory }),
      host: options.embeddedStore?.host ?? '127.0.0.1',
      port: options.embeddedStore?.port ?? 2113,
    });
    connectionString = embedded.connectionString;
  }
  // The api's thread reads through this adapter; the views read the log, and the intake
  // appends, each on a thread of its own (story-feed.thread.ts, append.thread.ts).
  const store = EventStoreAdapter.connect(connectionString);
  const feed = startStoryFeedThread(connectionString);
  const appender = startAppendThread(connectionString, options.clock === undefined ? {} : { clock: options.clock });
  const metrics = new ApiMetrics();
  const logger = createLogger({
    level: options.logLevel ?? levelOfNestLevels(options.logger ?? ['error', 'warn']),
    ...(options.logDestination === undefined ? {} : { destination: options.logDestination }),
  });

  const requestTimeoutMs = options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
  const adapter = new FastifyAdapter({
    bodyLimit: BODY_LIMIT_BYTES,
    // Node's own limit for the headers (answered 408 through clientErrorHandler); the
    // body's is the hook below, as Fastify's connectionTimeout is an idle timeout that a
    // trickle of bytes resets.
    requestTimeout: requestTimeoutMs,
    // The secure JSON parser's defaults, stated: bodies with __proto__ or constructor.prototype are refused.
    onProtoPoisoning: 'error',
    onConstructorPoisoning: 'error',
    // Fastify's default of 100 would answer a valid 128-character story id with its own 414.
    routerOptions: { maxParamLength: MAX_PARAM_LENGTH },
    frameworkErrors,
    clientErrorHandler,
    // One pino logger for Fastify and Nest; requestObserver writes the one line per request.
    loggerInstance: logger,
    logController: new LogController({ disableRequestLogging: true, requestIdLogLabel: 'requestId' }),
    genReqId: () => randomUUID(),
  });
  const appModule = AppModule.register({
    store,
    appender: meteredAppender(appender, metrics),
    tokens,
    intake: {
      ...(options.clock === undefined ? {} : { clock: options.clock }),
      ...(options.maxClockSkewMs === undefined ? {} : { maxClockSkewMs: options.maxClockSkewMs }),
    },
    imports: [ObservabilityModule.register({ metrics, storeMetrics: embedded?.metrics }), ...(options.imports ?? [])],
    // A test may hand the views a feed of its own (one that holds the catch-up, say).
    views: { ...options.views, feed: options.views?.feed ?? feed },
  });
  let app: NestFastifyApplication;
  try {
    app = await NestFactory.create<NestFastifyApplication>(appModule, adapter, {
      // Fastify's own JSON parser only: Nest's would add urlencoded bodies, and every other type is a 415.
      bodyParser: false,
      logger: new PinoNestLogger(logger),
      abortOnError: false,
    });
  } catch (error) {
    await appender.close();
    await feed.close();
    await store.close();
    await embedded?.stop();
    throw error;
  }
  const fastify = app.getHttpAdapter().getInstance();
  fastify.removeContentTypeParser('text/plain');
  // Registered (and awaited) before the authentication hook, so that its onRequest hook runs
  // first: a refusal (401) still carries the CORS headers an allowed page needs to read it.
  if (options.corsOrigins !== undefined && options.corsOrigins.length > 0) {
    await app.register(fastifyCors, corsOptions(options.corsOrigins));
    fastify.addHook('onRequest', corsHeadersOnRawResponse);
  }
  useStrictUtf8Json(fastify, BODY_LIMIT_BYTES);
  if (requestTimeoutMs > 0) fastify.addHook('onRequest', requestTimeoutHook(requestTimeoutMs));
  fastify.addHook('onRequest', authenticationHook(tokens));
  fastify.addHook('onResponse', requestObserver(metrics));
  // After the authentication hook: counted per token, once the token is known.
  await limitRequestsPerToken(app, options.rateLimits ?? {});
  // Once the api is stopping, every answer closes its connection. Fastify closes the keep-alive
  // connections that are idle when the stop begins, but one busy then would stay open after
  // its answer until its keep-alive timeout (72 s) and hold the stop that long.
  let closing = false;
  fastify.addHook('onSend', (_request, reply, payload, done) => {
    if (closing) reply.header('connection', 'close');
    done(null, payload);
  });
  await serveDashboard(fastify, options.dashboardDir ?? defaultDashboardDir());
  SwaggerModule.setup('docs', app, () => buildOpenApiDocument(app), {
    jsonDocumentUrl: 'docs/json',
    yamlDocumentUrl: 'docs/yaml',
  });

  let closed = false;
  return {
    app,
    store,
    tokens,
    storeConnectionString: connectionString,
    async close() {
      if (closed) return;
      closed = true;
      closing = true;
      await app.close();
      await appender.close();
      await feed.close();
      await store.close();
      await embedded?.stop();
    },
  };
}

/** Builds the app and listens: what main and the end-to-end tests run. */
export async function startApi(options: ApiOptions = {}): Promise<RunningApi> {
  const created = await createApp(options);
  const host = options.host ?? '127.0.0.1';
  try {
    await created.app.listen({ port: options.port ?? 3000, host });
  } catch (error) {
    await created.close();
    throw error;
  }
  const address = created.app.getHttpServer().address();
  const port = typeof address === 'object' && address !== null ? address.port : (options.port ?? 3000);
  const shownHost = host === '0.0.0.0' || host === '::' ? 'localhost' : host.includes(':') ? `[${host}]` : host;
  return { ...created, url: `http://${shownHost}:${port}`, stop: () => created.close() };
}
