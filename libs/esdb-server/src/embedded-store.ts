/**
 * The embedded EventStoreDB-compatible store, started from code: the durable
 * engine plus the gRPC server, and the connection string that lets the real
 * client reach it.
 */
import { X509Certificate, randomUUID } from 'node:crypto';
import { rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createGrpcServer } from './grpc/grpc-server';
import { DEFAULT_MAX_APPEND_SIZE, openSqliteEngine, type StorageEngine, type StorageFaults, type StoreObserver } from './storage';

export interface EmbeddedStoreTls {
  /** PEM certificate (chain) the server presents. */
  readonly cert: Buffer | string;
  /** PEM private key of that certificate. */
  readonly key: Buffer | string;
  /**
   * File the client should trust (`tlsCAFile` in the connection string). Defaults to a
   * temporary copy of `cert`, which is right for a self-signed certificate.
   */
  readonly caFile?: string;
}

export interface EmbeddedStoreOptions {
  /** Directory of the durable store (default `./data`, relative to the working directory). */
  readonly dataDir?: string;
  /** Keep everything in memory instead (nothing survives `stop()`). */
  readonly memory?: boolean;
  /** Interface to listen on (default 127.0.0.1). */
  readonly host?: string;
  /** Port (default 2113, as a real node; 0 picks any free port). */
  readonly port?: number;
  /** Serve TLS and require basic authentication (default: insecure, no authentication). */
  readonly tls?: EmbeddedStoreTls;
  /** Users for basic authentication under TLS (default `admin`/`changeit`, as a real node). */
  readonly users?: Readonly<Record<string, string>>;
  /** Offer BatchAppend (default true); false makes the client use Append. */
  readonly batchAppend?: boolean;
  /** Maximum bytes of one append (default 1 MiB, as a real node). */
  readonly maxAppendSize?: number;
  /** For tests only: full-disk failures to inject into the engine's writes and syncs. */
  readonly faults?: StorageFaults;
  /** Told of each group commit and each sync (metrics). */
  readonly observer?: StoreObserver;
}

export interface EmbeddedStore {
  /**
   * For `EventStoreDBClient.connectionString(...)`: `esdb://127.0.0.1:PORT?tls=false`, or with TLS
   * `esdb://USER:PASSWORD@HOST:PORT?tlsCAFile=FILE` (the first configured user; HOST is `localhost`
   * for a loopback address when the certificate names localhost).
   */
  readonly connectionString: string;
  readonly host: string;
  readonly port: number;
  /** Ends every call, closes the engine (all acknowledged writes are on disk already). */
  stop(): Promise<void>;
}

const DEFAULT_USERS: Readonly<Record<string, string>> = { admin: 'changeit' };

const ANY_ADDRESS = new Set(['0.0.0.0', '::', '']);
const LOOPBACK = /^(127\.\d{1,3}\.\d{1,3}\.\d{1,3}|::1|localhost)$/i;

/**
 * The host a client on this machine should dial. Bound to every interface: loopback. With TLS,
 * a loopback address becomes `localhost` when the certificate names it: an IP address as TLS
 * server name makes Node warn (DEP0123), and the name is what the certificate is checked against.
 * The client's connection-string parser takes no IPv6 literal, so `::1` can only be `localhost`.
 */
function clientHost(host: string, cert: Buffer | undefined): string {
  const reachable = ANY_ADDRESS.has(host) ? '127.0.0.1' : host;
  if (!LOOPBACK.test(reachable)) return reachable;
  if (reachable === '::1') return 'localhost';
  if (cert !== undefined && namesLocalhost(cert)) return 'localhost';
  return reachable;
}

function namesLocalhost(cert: Buffer): boolean {
  try {
    return new X509Certificate(cert).checkHost('localhost') !== undefined;
  } catch {
    // Not a certificate Node can parse: keep the address, the handshake will say what is wrong.
    return false;
  }
}

export async function startEmbeddedStore(options: EmbeddedStoreOptions = {}): Promise<EmbeddedStore> {
  const host = options.host ?? '127.0.0.1';
  const maxAppendSize = options.maxAppendSize ?? DEFAULT_MAX_APPEND_SIZE;
  const faults = options.faults;
  const engine: StorageEngine = options.memory
    ? openSqliteEngine({ memory: true, maxAppendSize, faults, observer: options.observer })
    : openSqliteEngine({ dataDir: resolve(options.dataDir ?? 'data'), maxAppendSize, faults, observer: options.observer });

  const users = options.users ?? DEFAULT_USERS;
  const tls = options.tls;
  const { server, credentials } = createGrpcServer({
    engine,
    batchAppend: options.batchAppend,
    maxAppendSize,
    tls: tls ? { cert: Buffer.from(tls.cert), key: Buffer.from(tls.key), users } : undefined,
  });

  let port: number;
  try {
    port = await new Promise<number>((done, fail) =>
      server.bindAsync(`${host.includes(':') ? `[${host}]` : host}:${options.port ?? 2113}`, credentials, (error, bound) =>
        error ? fail(error) : done(bound),
      ),
    );
  } catch (error) {
    server.forceShutdown();
    await engine.close();
    throw error;
  }

  let caCopy: string | undefined;
  let connectionString: string;
  if (tls) {
    let caFile = tls.caFile;
    if (caFile === undefined) {
      caCopy = join(tmpdir(), `esdb-embedded-ca-${randomUUID()}.pem`);
      writeFileSync(caCopy, tls.cert);
      caFile = caCopy;
    }
    const [user, password] = Object.entries(users)[0] ?? [];
    const credentialsPart = user !== undefined ? `${encodeURIComponent(user)}:${encodeURIComponent(password ?? '')}@` : '';
    connectionString = `esdb://${credentialsPart}${clientHost(host, Buffer.from(tls.cert))}:${port}?tlsCAFile=${encodeURIComponent(caFile)}`;
  } else {
    connectionString = `esdb://${clientHost(host, undefined)}:${port}?tls=false`;
  }

  let stopping: Promise<void> | undefined;
  const stop = () =>
    (stopping ??= (async () => {
      // Subscriptions never end on their own: give calls a moment, then cut them.
      await new Promise<void>((done) => {
        const timer = setTimeout(() => {
          server.forceShutdown();
          done();
        }, 500);
        server.tryShutdown(() => {
          clearTimeout(timer);
          done();
        });
      });
      await engine.close();
      if (caCopy) rmSync(caCopy, { force: true });
    })());

  return { connectionString, host, port, stop };
}
