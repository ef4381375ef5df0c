/**
 * The race test of issue 2: many appenders on the same expected revision,
 * revision after revision. Exactly one wins each revision, every other gets
 * WrongExpectedVersionError, and the stream ends with one event per revision.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NO_STREAM, WrongExpectedVersionError, jsonEvent, type EventStoreDBClient } from '@eventstore/db-client';
import { uniqueStream } from './support/names';
import { collect, settlesWithin } from './support/outcomes';
import { describeEachAppendPath, useEmbeddedStore, type StoreUnderTest } from './support/store-under-test';

const CLIENTS = 5;
const APPENDERS_PER_CLIENT = 10;
const REVISIONS = 20;

function raceCases(store: StoreUnderTest): void {
  let clients: EventStoreDBClient[];
  beforeAll(() => {
    clients = Array.from({ length: CLIENTS }, () => store.newClient());
  });

  it(`${CLIENTS * APPENDERS_PER_CLIENT} appenders per revision, ${REVISIONS} revisions: one winner each`, async () => {
    const stream = uniqueStream('race');
    const winners: string[] = [];

    for (let revision = 0; revision < REVISIONS; revision += 1) {
      const expectedRevision = revision === 0 ? NO_STREAM : BigInt(revision - 1);
      const contenders = clients.flatMap((client, c) =>
        Array.from({ length: APPENDERS_PER_CLIENT }, (_, a) => {
          const event = jsonEvent({ type: 'ClaimAttempted', data: { revision, client: c, appender: a } });
          return { id: event.id, outcome: client.appendToStream(stream, event, { expectedRevision }) };
        }),
      );
      const outcomes = await settlesWithin(
        Promise.allSettled(contenders.map((contender) => contender.outcome)),
        `the appends for revision ${revision}`,
        10_000,
      );

      const won = outcomes.flatMap((outcome, i) => (outcome.status === 'fulfilled' ? [{ id: contenders[i].id, result: outcome.value }] : []));
      expect(won).toHaveLength(1);
      expect(won[0].result.nextExpectedRevision).toBe(BigInt(revision));
      winners.push(won[0].id);

      for (const outcome of outcomes) {
        if (outcome.status === 'fulfilled') continue;
        expect(outcome.reason).toBeInstanceOf(WrongExpectedVersionError);
        expect(outcome.reason).toMatchObject({ streamName: stream, expectedVersion: expectedRevision, actualVersion: BigInt(revision) });
      }
    }

    const stored = (await collect(store.client.readStream(stream))).map((resolved) => resolved.event!);
    expect(stored.map((event) => event.revision)).toEqual(Array.from({ length: REVISIONS }, (_, r) => BigInt(r)));
    expect(stored.map((event) => event.id)).toEqual(winners);
  }, 60_000);
}

describeEachAppendPath('racing appenders', raceCases);

describe('embedded only: racing appenders on the durable store', () => {
  // Group commit shares one disk sync among the appends that arrive together: the checks must hold there too.
  const dataDir = mkdtempSync(join(tmpdir(), 'race-store-'));
  raceCases(useEmbeddedStore({ memory: false, dataDir }));
  // Declared after the store's own afterAll, so it runs once the store has stopped.
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));
});
