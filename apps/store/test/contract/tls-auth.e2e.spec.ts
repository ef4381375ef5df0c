/**
 * Embedded only: TLS with basic authentication, as a secure node serves it.
 * Always runs against an embedded store of its own (with a throwaway
 * self-signed certificate), whatever EVENTSTORE_CONNECTION_STRING names.
 */
import { AccessDeniedError, EventStoreDBClient, NO_STREAM, jsonEvent, type Credentials } from '@eventstore/db-client';
import { startEmbeddedStore, type EmbeddedStore } from '@newsroom/esdb-server';
import { selfSignedCertificate, type Certificate } from '../support/certificate';
import { uniqueStream } from '../support/names';
import { collect, rejectionOf, settlesWithin } from '../support/outcomes';
import { SubscriptionRecorder } from '../support/subscription-recorder';

const fact = (n: number) => jsonEvent({ type: 'FactRecorded', data: { n } });

describe.each([true, false])('embedded only: TLS and basic authentication (batchAppend listed: %s)', (batchAppend) => {
  let certificate: Certificate;
  let store: EmbeddedStore;
  const clients: EventStoreDBClient[] = [];

  beforeAll(async () => {
    certificate = await selfSignedCertificate();
    store = await startEmbeddedStore({
      memory: true,
      port: 0,
      batchAppend,
      tls: certificate,
      users: { admin: 'changeit', desk: 's3cret-desk' },
    });
  });

  afterAll(async () => {
    await Promise.all(clients.splice(0).map((client) => client.dispose()));
    await store.stop();
  });

  /** A client that trusts the throwaway certificate, with the given default credentials (or none). */
  const connect = (credentials?: Credentials) => {
    const client = new EventStoreDBClient(
      { endpoint: { address: 'localhost', port: store.port } },
      { rootCertificate: Buffer.from(certificate.cert) },
      credentials,
    );
    clients.push(client);
    return client;
  };

  it('the connection string it hands out works as it is', async () => {
    const client = EventStoreDBClient.connectionString(store.connectionString);
    clients.push(client);
    const stream = uniqueStream('tls');
    await settlesWithin(client.appendToStream(stream, fact(0), { expectedRevision: NO_STREAM }), 'append');
    expect(await collect(client.readStream(stream))).toHaveLength(1);
  });

  it.each([
    ['the default admin', { username: 'admin', password: 'changeit' }],
    ['a configured user', { username: 'desk', password: 's3cret-desk' }],
  ])('%s can append, read, read $all and subscribe', async (_label, credentials) => {
    const client = connect(credentials);
    const stream = uniqueStream('tls');
    await settlesWithin(client.appendToStream(stream, [fact(0), fact(1)], { expectedRevision: NO_STREAM }), 'append');
    expect((await collect(client.readStream(stream))).map((resolved) => resolved.event!.revision)).toEqual([0n, 1n]);
    expect((await collect(client.readAll({ maxCount: 5 }))).length).toBeGreaterThan(0);

    const recorder = new SubscriptionRecorder();
    recorder.attach(client.subscribeToStream(stream));
    await recorder.until((r) => r.events.length >= 2, 'subscription over TLS');
    await recorder.stop();
  });

  it.each([
    ['a wrong password', { username: 'admin', password: 'wrong' }],
    ['an unknown user', { username: 'nobody', password: 'changeit' }],
  ])('%s: AccessDeniedError on append, read and delete, and nothing written', async (_label, credentials) => {
    const client = connect(credentials);
    const stream = uniqueStream('denied');
    expect(await rejectionOf(settlesWithin(client.appendToStream(stream, fact(0)), 'append'))).toBeInstanceOf(AccessDeniedError);
    expect(await rejectionOf(collect(client.readStream(stream)))).toBeInstanceOf(AccessDeniedError);
    expect(await rejectionOf(settlesWithin(client.deleteStream(stream), 'delete'))).toBeInstanceOf(AccessDeniedError);

    const admin = connect({ username: 'admin', password: 'changeit' });
    await expect(collect(admin.readStream(stream))).rejects.toMatchObject({ type: 'stream-not-found' });
  });

  it('no credentials at all: AccessDeniedError', async () => {
    const client = connect();
    expect(await rejectionOf(settlesWithin(client.appendToStream(uniqueStream('anon'), fact(0)), 'append'))).toBeInstanceOf(AccessDeniedError);
    expect(await rejectionOf(collect(client.readAll({ maxCount: 1 })))).toBeInstanceOf(AccessDeniedError);
  });

  it('a subscription with bad credentials fails with AccessDeniedError', async () => {
    const client = connect({ username: 'admin', password: 'wrong' });
    const recorder = new SubscriptionRecorder();
    recorder.attach(client.subscribeToAll());
    expect(await recorder.failure('subscription error')).toBeInstanceOf(AccessDeniedError);
  });

  it('per-call credentials override bad defaults (and take the Append path)', async () => {
    const client = connect({ username: 'admin', password: 'wrong' });
    const stream = uniqueStream('percall');
    const credentials = { username: 'desk', password: 's3cret-desk' };
    await settlesWithin(client.appendToStream(stream, fact(0), { credentials }), 'append with per-call credentials');
    expect(await collect(client.readStream(stream, { credentials }))).toHaveLength(1);
  });

  it('after refusing bad credentials the server still serves good ones', async () => {
    const bad = connect({ username: 'admin', password: 'wrong' });
    await rejectionOf(settlesWithin(bad.appendToStream(uniqueStream('denied'), fact(0)), 'append'));
    const good = connect({ username: 'admin', password: 'changeit' });
    const stream = uniqueStream('tls');
    await settlesWithin(good.appendToStream(stream, fact(0)), 'append');
    expect(await collect(good.readStream(stream))).toHaveLength(1);
  });
});
