/**
 * Raw gRPC access to the embedded server for the int specs: the generated
 * stubs, driven message by message, to see what the real client hides
 * (trailers, chunking, malformed requests, flow control).
 */
import { credentials as grpcCredentials, Metadata, type ChannelCredentials, type ServiceError } from '@grpc/grpc-js';
import { ServerFeaturesClient } from '@eventstore/db-client/generated/serverfeatures_grpc_pb';
import { Empty, StreamIdentifier, UUID } from '@eventstore/db-client/generated/shared_pb';
import { StreamsClient } from '@eventstore/db-client/generated/streams_grpc_pb';
import { AppendReq, type AppendResp, ReadReq, type ReadResp } from '@eventstore/db-client/generated/streams_pb';
import { createGrpcServer, type GrpcServerOptions } from '../grpc-server';
import { openSqliteEngine, type StorageEngine } from '../../storage';
import { randomUUID } from 'node:crypto';

export interface RawServer {
  readonly engine: StorageEngine;
  readonly address: string;
  streams(creds?: ChannelCredentials): StreamsClient;
  features(creds?: ChannelCredentials): ServerFeaturesClient;
  stop(): Promise<void>;
}

export async function startRawServer(options: Omit<GrpcServerOptions, 'engine'> = {}): Promise<RawServer> {
  const engine = openSqliteEngine({ memory: true });
  const { server, credentials } = createGrpcServer({ ...options, engine });
  const port = await new Promise<number>((done, fail) => server.bindAsync('127.0.0.1:0', credentials, (error, bound) => (error ? fail(error) : done(bound))));
  const address = `127.0.0.1:${port}`;
  const clients: { close(): void }[] = [];
  const channelOptions = { 'grpc.max_receive_message_length': 17 * 1024 * 1024, 'grpc.ssl_target_name_override': 'localhost' };
  return {
    engine,
    address,
    streams(creds = grpcCredentials.createInsecure()) {
      const c = new StreamsClient(address, creds, channelOptions);
      clients.push(c);
      return c;
    },
    features(creds = grpcCredentials.createInsecure()) {
      const c = new ServerFeaturesClient(address, creds, channelOptions);
      clients.push(c);
      return c;
    },
    async stop() {
      for (const c of clients) c.close();
      server.forceShutdown();
      await engine.close();
    },
  };
}

export function identifier(name: string): StreamIdentifier {
  return new StreamIdentifier().setStreamName(Buffer.from(name, 'utf8'));
}

export function uuid(id: string = randomUUID()): UUID {
  return new UUID().setString(id);
}

export function proposed(
  type: string | undefined,
  data: unknown,
  options: { id?: string; contentType?: string | null; bytes?: Buffer } = {},
): AppendReq.ProposedMessage {
  const message = new AppendReq.ProposedMessage().setId(uuid(options.id));
  if (type !== undefined) message.getMetadataMap().set('type', type);
  if (options.contentType !== null) message.getMetadataMap().set('content-type', options.contentType ?? 'application/json');
  message.setData(options.bytes ?? Buffer.from(JSON.stringify(data)));
  return message;
}

export interface AppendOutcome {
  readonly response?: AppendResp;
  readonly error?: ServiceError;
}

export function rawAppend(
  client: StreamsClient,
  stream: string,
  messages: AppendReq.ProposedMessage[],
  metadata: Metadata = new Metadata(),
): Promise<AppendOutcome> {
  return new Promise((resolve) => {
    const call = client.append(metadata, (error, response) => resolve(error ? { error } : { response }));
    const options = new AppendReq.Options().setStreamIdentifier(identifier(stream)).setAny(new Empty());
    call.write(new AppendReq().setOptions(options));
    for (const m of messages) call.write(new AppendReq().setProposedMessage(m));
    call.end();
  });
}

export function streamReadRequest(stream: string, count = 1000): ReadReq {
  const options = new ReadReq.Options()
    .setStream(new ReadReq.Options.StreamOptions().setStreamIdentifier(identifier(stream)).setStart(new Empty()))
    .setReadDirection(ReadReq.Options.ReadDirection.FORWARDS)
    .setCount(String(count))
    .setNoFilter(new Empty())
    .setUuidOption(new ReadReq.Options.UUIDOption().setString(new Empty()));
  return new ReadReq().setOptions(options);
}

export interface ReadOutcome {
  readonly messages: ReadResp[];
  readonly error?: ServiceError;
}

export function rawRead(client: StreamsClient, request: ReadReq, metadata: Metadata = new Metadata()): Promise<ReadOutcome> {
  return new Promise((resolve) => {
    const messages: ReadResp[] = [];
    const call = client.read(request, metadata);
    call.on('data', (m: ReadResp) => messages.push(m));
    call.on('error', (error: ServiceError) => resolve({ messages, error }));
    call.on('end', () => resolve({ messages }));
  });
}

/** Trailers as a plain object of first values. */
export function trailers(error: ServiceError | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  if (!error?.metadata) return out;
  for (const [key, values] of Object.entries(error.metadata.getMap())) out[key] = String(values);
  return out;
}
