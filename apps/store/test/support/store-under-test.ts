/**
 * The store a contract test talks to, always through `@eventstore/db-client`.
 *
 * With `EVENTSTORE_CONNECTION_STRING` set, every test runs against that server
 * (a real EventStoreDB/KurrentDB), which is how the suite proves that the
 * embedded store's semantics match. Without it, each `useStore` starts an
 * embedded in-memory store on a free port for the enclosing describe.
 */
import { EventStoreDBClient, type Credentials } from '@eventstore/db-client';
import { StreamsService } from '@eventstore/db-client/generated/streams_grpc_pb';
import { startEmbeddedStore } from '@newsroom/esdb-server';

/** The two ways the client writes: BatchAppend when the server lists it, else Append (esdb-wire.md 2). */
export type AppendPath = 'batch-append' | 'append';

export const APPEND_PATHS: readonly AppendPath[] = ['batch-append', 'append'];

const externalConnectionString = process.env.EVENTSTORE_CONNECTION_STRING?.trim() || undefined;

export interface StoreUnderTest {
  readonly connectionString: string;
  readonly appendPath: AppendPath;
  /** A client shared by the describe's tests. */
  readonly client: EventStoreDBClient;
  /** One more client (its own channel and BatchAppend call), disposed with the store. */
  newClient(): EventStoreDBClient;
  /** What the client decided after GetSupportedMethods: whether it will use BatchAppend. */
  clientUsesBatchAppend(client?: EventStoreDBClient): Promise<boolean>;
}

/**
 * An external server always lists BatchAppend; the client still takes the
 * Append path when a call carries its own credentials (esdb-wire.md 2), so
 * that is how the `append` path is forced there. In insecure mode the client
 * sends no credentials at all, so this changes nothing else.
 */
function credentialsFrom(connectionString: string): Credentials {
  const match = /^esdb(?:\+discover)?:\/\/([^:@/]+):([^@/]+)@/.exec(connectionString);
  return match ? { username: decodeURIComponent(match[1]), password: decodeURIComponent(match[2]) } : { username: 'admin', password: 'changeit' };
}

function forceAppendPath(client: EventStoreDBClient, credentials: Credentials): EventStoreDBClient {
  const append = client.appendToStream.bind(client);
  client.appendToStream = ((streamName, events, options) => append(streamName, events, { credentials, ...options })) as EventStoreDBClient['appendToStream'];
  return client;
}

/** `supports` is protected on the client; reading the decision is the only way to check which path is taken. */
interface FeatureProbe {
  supports(method: unknown): Promise<boolean>;
}

type EmbeddedOptions = NonNullable<Parameters<typeof startEmbeddedStore>[0]>;

/**
 * Registers beforeAll/afterAll in the calling describe and returns a handle
 * whose fields are valid inside tests and hooks: the external server when one
 * is named, else an embedded in-memory store of its own.
 */
export function useStore(appendPath: AppendPath = 'batch-append'): StoreUnderTest {
  return storeFor(appendPath, externalConnectionString, {});
}

/**
 * For `embedded only` describes: cases that need the embedded store's options
 * (TLS, users) or that pin down behaviour esdb-wire.md leaves to the
 * implementation. They start their own embedded store even when an external
 * server is named, so a real-server run still runs them, against the embedded store.
 */
export function useEmbeddedStore(options: Partial<EmbeddedOptions> = {}, appendPath: AppendPath = 'batch-append'): StoreUnderTest {
  return storeFor(appendPath, undefined, options);
}

function storeFor(appendPath: AppendPath, external: string | undefined, options: Partial<EmbeddedOptions>): StoreUnderTest {
  let stop: (() => Promise<void>) | undefined;
  let connectionString = '';
  let shared: EventStoreDBClient | undefined;
  const clients: EventStoreDBClient[] = [];
  const forced = external !== undefined && appendPath === 'append';

  const newClient = (): EventStoreDBClient => {
    const client = EventStoreDBClient.connectionString(connectionString);
    clients.push(client);
    return forced ? forceAppendPath(client, credentialsFrom(connectionString)) : client;
  };

  beforeAll(async () => {
    if (external !== undefined) {
      connectionString = external;
    } else {
      const store = await startEmbeddedStore({ memory: true, port: 0, batchAppend: appendPath === 'batch-append', ...options });
      connectionString = store.connectionString;
      stop = () => store.stop();
    }
    shared = newClient();
  });

  afterAll(async () => {
    await Promise.all(clients.splice(0).map((client) => client.dispose()));
    await stop?.();
  });

  return {
    get connectionString() {
      return connectionString;
    },
    appendPath,
    get client() {
      if (!shared) throw new Error('the store is not started yet (use the client inside tests or hooks)');
      return shared;
    },
    newClient,
    async clientUsesBatchAppend(client = shared) {
      if (!client) throw new Error('the store is not started yet');
      if (forced) return false;
      return (client as unknown as FeatureProbe).supports(StreamsService.batchAppend);
    },
  };
}

/** Runs the same cases once per append path, each against its own store. */
export function describeEachAppendPath(title: string, cases: (store: StoreUnderTest) => void): void {
  describe.each(APPEND_PATHS)(`${title} (%s path)`, (appendPath) => {
    cases(useStore(appendPath));
  });
}
