/**
 * The gRPC face of the embedded server: the Streams and ServerFeatures
 * services of EventStoreDB over the storage engine, on a plain grpc-js
 * server, using the service definitions and message classes shipped inside
 * `@eventstore/db-client` (the same copy the client uses).
 */
import { Server, ServerCredentials, type ServiceDefinition, type UntypedServiceImplementation } from '@grpc/grpc-js';
import { ServerFeaturesService } from '@eventstore/db-client/generated/serverfeatures_grpc_pb';
import { StreamsService } from '@eventstore/db-client/generated/streams_grpc_pb';
import type { ReadResp } from '@eventstore/db-client/generated/streams_pb';
import { DEFAULT_MAX_APPEND_SIZE, type StorageEngine } from '../storage';
import { appendHandler } from './append.handler';
import { basicAuthenticator, insecure } from './auth';
import { decodeBatchAppendReq } from './batch-append.codec';
import { batchAppendHandler } from './batch-append.handler';
import type { StreamsContext } from './context';
import { deleteHandler, tombstoneHandler } from './delete.handler';
import { readHandler } from './read.handler';
import { getSupportedMethodsHandler } from './server-features.service';

/** The client's own receive limit; a real node accepts messages of this size too. */
export const MAX_MESSAGE_BYTES = 17 * 1024 * 1024;

export interface GrpcServerOptions {
  readonly engine: StorageEngine;
  /** Offer BatchAppend (default true); without it the client falls back to Append. */
  readonly batchAppend?: boolean;
  /** With TLS: basic-auth users (name → password). Without TLS nothing is authenticated, as on an insecure node. */
  readonly tls?: { readonly cert: Buffer; readonly key: Buffer; readonly users: Readonly<Record<string, string>> };
  readonly maxAppendSize?: number;
}

/** Read responses are encoded by hand (read-resp.encoder.ts); other messages still come as classes. */
function passBytes(value: ReadResp | Buffer): Buffer {
  return Buffer.isBuffer(value) ? value : Buffer.from(value.serializeBinary());
}

/** BatchAppend answers are encoded by hand (batch-append.codec.ts). */
function asBuffer(value: Buffer): Buffer {
  return value;
}

export function createGrpcServer(options: GrpcServerOptions): { server: Server; credentials: ServerCredentials } {
  const ctx: StreamsContext = {
    engine: options.engine,
    auth: options.tls ? basicAuthenticator(options.tls.users) : insecure,
    maxAppendSize: options.maxAppendSize ?? DEFAULT_MAX_APPEND_SIZE,
  };
  const batchAppend = options.batchAppend ?? true;

  const server = new Server({
    'grpc.max_receive_message_length': MAX_MESSAGE_BYTES,
    'grpc.max_send_message_length': MAX_MESSAGE_BYTES,
  });

  const { batchAppend: batchAppendDefinition, ...rest } = StreamsService;
  const streams = {
    ...rest,
    ...(batchAppend ? { batchAppend: { ...batchAppendDefinition, requestDeserialize: decodeBatchAppendReq, responseSerialize: asBuffer } } : {}),
    read: { ...StreamsService.read, responseSerialize: passBytes },
  } as unknown as ServiceDefinition<UntypedServiceImplementation>;
  const handlers: UntypedServiceImplementation = {
    read: readHandler(ctx),
    append: appendHandler(ctx),
    delete: deleteHandler(ctx),
    tombstone: tombstoneHandler(ctx),
  } as unknown as UntypedServiceImplementation;
  if (batchAppend) handlers.batchAppend = batchAppendHandler(ctx) as unknown as UntypedServiceImplementation[string];
  server.addService(streams, handlers);
  server.addService(
    ServerFeaturesService as unknown as ServiceDefinition<UntypedServiceImplementation>,
    {
      getSupportedMethods: getSupportedMethodsHandler(batchAppend),
    } as unknown as UntypedServiceImplementation,
  );

  const credentials = options.tls
    ? ServerCredentials.createSsl(null, [{ cert_chain: options.tls.cert, private_key: options.tls.key }], false)
    : ServerCredentials.createInsecure();
  return { server, credentials };
}
