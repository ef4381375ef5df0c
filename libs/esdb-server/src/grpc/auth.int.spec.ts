import { credentials, Metadata, status, type ServiceError } from '@grpc/grpc-js';
import { generate } from 'selfsigned';
import { Empty } from '@eventstore/db-client/generated/shared_pb';
import { proposed, rawAppend, rawRead, startRawServer, streamReadRequest, trailers, type RawServer } from './test/raw-client';

const basic = (user: string, password: string) => {
  const metadata = new Metadata();
  metadata.set('authorization', `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`);
  return metadata;
};

/** A secure node's answers, as the client sees them on the wire. */
describe('TLS and basic authentication over raw gRPC', () => {
  let server: RawServer;
  let tls: ReturnType<typeof credentials.createSsl>;

  beforeAll(async () => {
    const pems = await generate([{ name: 'commonName', value: 'localhost' }], {
      keyType: 'ec',
      curve: 'P-256',
      extensions: [{ name: 'subjectAltName', altNames: [{ type: 2, value: 'localhost' }] }],
    });
    server = await startRawServer({
      tls: { cert: Buffer.from(pems.cert), key: Buffer.from(pems.private), users: { admin: 'changeit', ops: 's3cret' } },
    });
    tls = credentials.createSsl(Buffer.from(pems.cert));
  });
  afterAll(() => server.stop());

  it('serves a known user', async () => {
    const outcome = await rawAppend(server.streams(tls), 'auth-ok', [proposed('T', {})], basic('ops', 's3cret'));
    expect(outcome.response?.hasSuccess()).toBe(true);
  });

  it('refuses a wrong password as a real node does: UNAUTHENTICATED, no exception trailer', async () => {
    const outcome = await rawAppend(server.streams(tls), 'auth-bad', [proposed('T', {})], basic('admin', 'wrong'));
    expect(outcome.error?.code).toBe(status.UNAUTHENTICATED);
    expect(trailers(outcome.error).exception).toBeUndefined();
    const read = await rawRead(server.streams(tls), streamReadRequest('auth-ok'), basic('nobody', 'changeit'));
    expect(read.error?.code).toBe(status.UNAUTHENTICATED);
  });

  it('denies the anonymous user stream access with access-denied', async () => {
    const outcome = await rawAppend(server.streams(tls), 'auth-anon', [proposed('T', {})]);
    expect(outcome.error?.code).toBe(status.PERMISSION_DENIED);
    expect(trailers(outcome.error).exception).toBe('access-denied');
    const read = await rawRead(server.streams(tls), streamReadRequest('auth-ok'));
    expect(trailers(read.error).exception).toBe('access-denied');
  });

  it('answers GetSupportedMethods without credentials (the client never sends them there)', async () => {
    const error = await new Promise<ServiceError | null>((done) => server.features(tls).getSupportedMethods(new Empty(), (e) => done(e)));
    expect(error).toBeNull();
  });

  it('refuses plaintext connections', async () => {
    const outcome = await rawAppend(server.streams(), 'auth-plain', [proposed('T', {})], basic('admin', 'changeit'));
    expect(outcome.error?.code).toBe(status.UNAVAILABLE);
  });
});
