// The intake's idempotency against the embedded store through the real client: a used key
// is found in the story's history by the events' metadata, whichever process or scheme wrote them.
import { type EmbeddedStore, startEmbeddedStore } from '@newsroom/esdb-server';
import { EventStoreAdapter } from '@newsroom/event-store';
import { ProblemException } from '../errors/problem-details';
import { bodyJsonHash } from './idempotency';
import { IntakeService } from './intake.service';
import { intakeSettings } from './intake.options';

const opening = {
  type: 'ReportPublished',
  data: {
    reportId: 'wire-1',
    outlet: 'Newswire',
    headline: 'Acme and Globex in merger talks',
    language: 'en',
    publishedAt: '2025-03-03T08:00:00Z',
    claims: [{ claimId: 'merger-talks', statement: 'Acme and Globex have discussed a merger.', about: ['acme', 'globex'] }],
  },
} as const;
const denial = {
  type: 'CompanyDenied',
  data: { companyId: 'acme', companyName: 'Acme', statement: 'No talks.', language: 'en', deniedAt: '2025-03-03T12:00:00Z', refutes: ['merger-talks'] },
} as const;
const reordered = { data: Object.fromEntries(Object.entries(denial.data).reverse()), type: denial.type };

let store: EmbeddedStore;
let adapters: EventStoreAdapter[];
let counter = 0;
const freshStory = () => `intake-idem-${process.pid}-${++counter}`;
const context = (causationId: string) => ({ correlationId: causationId, causationId, recordedBy: 'token:spec' });

beforeAll(async () => {
  store = await startEmbeddedStore({ memory: true, port: 0 });
  adapters = [EventStoreAdapter.connect(store.connectionString), EventStoreAdapter.connect(store.connectionString)];
});

afterAll(async () => {
  await Promise.all((adapters ?? []).map((adapter) => adapter.close()));
  await store?.stop();
});

/** An intake as one api process has it: its own client for reads and for appends. */
const intakeOn = (adapter: EventStoreAdapter) => new IntakeService(adapter, adapter, intakeSettings());

describe('the intake with an Idempotency-Key', () => {
  it('recognises through a second process a key used through the first: the same events replay, others are refused', async () => {
    const [one, two] = adapters.map(intakeOn) as [IntakeService, IntakeService];
    const storyId = freshStory();
    await one.record({ storyId, body: opening, context: context('open') });
    const first = await one.record({ storyId, body: denial, idempotencyKey: 'k', context: context('first') });
    expect(first.replayed).toBe(false);

    await expect(two.record({ storyId, body: [reordered], idempotencyKey: 'k', context: context('retry') })).resolves.toEqual({
      answer: first.answer,
      replayed: true,
    });
    const refused = two.record({ storyId, body: opening, idempotencyKey: 'k', context: context('other') });
    await expect(refused).rejects.toBeInstanceOf(ProblemException);
    await expect(refused).rejects.toMatchObject({ problem: { status: 422, code: 'IDEMPOTENCY_KEY_REUSED' } });
    expect(await adapters[0]!.readStory(storyId)).toHaveLength(2);
  });

  it('replays a post recorded with the digest of its JSON as sent (and other ids) when it is retried with the same JSON', async () => {
    const storyId = freshStory();
    const intake = intakeOn(adapters[0]!);
    await intake.record({ storyId, body: opening, context: context('open') });
    // Such a post carries the digest of the body as parsed, and ids of another scheme.
    const written = await adapters[1]!.appendToStory(storyId, [{ ...denial, id: '3b5a8f8e-5d0c-4d7a-9d39-6f0e0d1c2b3a' }], 0, {
      ...context('earlier'),
      idempotencyKey: 'earlier-key',
      requestHash: bodyJsonHash(denial),
    });

    const retry = await intake.record({ storyId, body: denial, idempotencyKey: 'earlier-key', context: context('retry') });
    expect(retry).toEqual({ answer: { storyId, ...written }, replayed: true });
    await expect(intake.record({ storyId, body: reordered, idempotencyKey: 'earlier-key', context: context('reordered') })).rejects.toMatchObject({
      problem: { status: 422, code: 'IDEMPOTENCY_KEY_REUSED' },
    });
    expect(await adapters[0]!.readStory(storyId)).toHaveLength(2);
  });
});
