import { checkDurability, type Batch, type BatchState, type ObservedEvent, type Observation } from './crash.check';

// Given appends as the crash scenario records them, and a store's content as
// read back, the judge names what a kill damaged (and only that).

let nextSeq = 0;
function batch(stream: string, size: number, state: BatchState, extra: Partial<Batch> = {}): Batch {
  const seq = nextSeq++;
  const ids = Array.from({ length: size }, (_, i) => `${stream}-${seq}-${i}`);
  return {
    seq,
    stream,
    ids,
    payloads: ids.map((id) => JSON.stringify({ id })),
    expected: 'any',
    acksBefore: 0,
    state,
    ...extra,
  };
}

/** A store that holds the given batches, written one after the other. */
function storeHolding(written: readonly Batch[]): { all: ObservedEvent[]; streams: Map<string, ObservedEvent[]> } {
  const all: ObservedEvent[] = [{ stream: '$settings', revision: 0n, id: 'system', position: 10n, payload: '{}' }];
  const streams = new Map<string, ObservedEvent[]>();
  for (const b of written) {
    const events = streams.get(b.stream) ?? [];
    b.ids.forEach((id, i) => {
      const event = { stream: b.stream, revision: BigInt(events.length), id, position: BigInt(all.length * 10 + 10), payload: b.payloads[i] as string };
      events.push(event);
      all.push(event);
    });
    streams.set(b.stream, events);
  }
  return { all, streams };
}

function observation(all: ObservedEvent[], streams: Map<string, ObservedEvent[]>, also: string[] = []): Observation {
  for (const stream of also) if (!streams.has(stream)) streams.set(stream, []);
  return { all, streams, isTestStream: (stream) => stream.startsWith('t-') };
}

function acked(stream: string, size: number, firstRevision: bigint, ackSeq: number, extra: Partial<Batch> = {}): Batch {
  return batch(stream, size, 'acked', { firstRevision, ackSeq, ...extra });
}

describe('crash check', () => {
  it('finds nothing wrong when every acknowledged append is there, in order', () => {
    const a = acked('t-a', 2, 0n, 0);
    const b = acked('t-b', 1, 0n, 1, { acksBefore: 1 });
    const c = acked('t-a', 3, 2n, 2, { acksBefore: 2 });
    const { all, streams } = storeHolding([a, b, c]);

    const result = checkDurability([a, b, c], observation(all, streams));

    expect(result.violations).toEqual([]);
    expect(result.eventsChecked).toBe(6);
  });

  it('reports an acknowledged event that is missing after the restart', () => {
    const a = acked('t-a', 2, 0n, 0);
    const lost = acked('t-a', 1, 2n, 1);
    const { all, streams } = storeHolding([a]);

    const result = checkDurability([a, lost], observation(all, streams));

    expect(result.violations).toEqual([expect.stringContaining('1 of its events are missing')]);
  });

  it('reports an append in flight at the kill that is only half there', () => {
    const a = acked('t-a', 1, 0n, 0);
    const torn = batch('t-a', 3, 'inflight');
    const { all, streams } = storeHolding([a, torn]);
    const keep = 2;
    const cut = (events: ObservedEvent[]): ObservedEvent[] => events.filter((e) => e.id !== torn.ids[keep]);

    const result = checkDurability([a, torn], observation(cut(all), new Map([['t-a', cut(streams.get('t-a') ?? [])]])));

    expect(result.violations).toEqual([expect.stringContaining('half-written, 2 of 3 events present')]);
  });

  it('resolves appends in flight at the kill as landed (whole) or absent', () => {
    const landed = batch('t-a', 2, 'inflight');
    const absent = batch('t-b', 2, 'inflight');
    const { all, streams } = storeHolding([landed]);

    const result = checkDurability([landed, absent], observation(all, streams, ['t-b']));

    expect(result.violations).toEqual([]);
    expect(result.inflight.get(landed)).toBe(0n);
    expect(result.inflight.has(absent)).toBe(true);
    expect(result.inflight.get(absent)).toBeUndefined();
  });

  it('reports a duplicated event, a revision gap and a stream that disagrees with $all', () => {
    const a = acked('t-a', 2, 0n, 0);
    const { all, streams } = storeHolding([a]);
    const [first, second] = streams.get('t-a') as ObservedEvent[];
    const doubled = [first as ObservedEvent, first as ObservedEvent, second as ObservedEvent];
    const gap = [first as ObservedEvent, { ...(second as ObservedEvent), revision: 5n }];

    expect(checkDurability([a], observation([...all, first as ObservedEvent], new Map([['t-a', doubled]]))).violations).toEqual(
      expect.arrayContaining([expect.stringContaining('$all: event'), expect.stringContaining('appears twice')]),
    );
    expect(checkDurability([a], observation(all, new Map([['t-a', gap]]))).violations).toEqual(
      expect.arrayContaining([expect.stringContaining('revision 5 (gap or duplicate)')]),
    );
    expect(checkDurability([a], observation(all.slice(0, -1), streams)).violations).toEqual([
      expect.stringContaining('2 events in the stream, 1 of its events in $all'),
    ]);
  });

  it('reports an event whose data changed, a refused append that was written, and an event never sent', () => {
    const a = acked('t-a', 1, 0n, 0);
    const refused = batch('t-b', 1, 'refused');
    const { all, streams } = storeHolding([a, refused]);
    const corrupt = all.map((e) => (e.id === a.ids[0] ? { ...e, payload: '{"id":"other"}' } : e));
    const stranger: ObservedEvent = { stream: 't-b', revision: 1n, id: 'stranger', position: 999n, payload: '{}' };

    const result = checkDurability(
      [a, refused],
      observation(
        [...corrupt, stranger],
        new Map([
          ['t-a', corrupt.filter((e) => e.stream === 't-a')],
          ['t-b', [...(streams.get('t-b') as ObservedEvent[]), stranger]],
        ]),
      ),
    );

    expect(result.violations).toEqual(
      expect.arrayContaining([
        expect.stringContaining('data differs from what was sent'),
        expect.stringContaining('was never sent'),
        expect.stringContaining('1 of its events are present'),
      ]),
    );
  });

  it('reports an append placed before one acknowledged before it was sent', () => {
    const first = acked('t-a', 1, 0n, 0);
    const later = acked('t-b', 1, 0n, 1, { acksBefore: 1 });
    // The store wrote the later append first.
    const { all, streams } = storeHolding([later, first]);

    const result = checkDurability([first, later], observation(all, streams));

    expect(result.violations).toEqual([expect.stringContaining('was sent after 1 acknowledgements')]);
  });

  it('reports an acknowledgement whose position is not where the events are', () => {
    const a = acked('t-a', 2, 0n, 0, { reportedPosition: 5n });
    const { all, streams } = storeHolding([a]);

    const result = checkDurability([a], observation(all, streams));

    expect(result.violations).toEqual([expect.stringContaining('acknowledged at position 5')]);
  });
});
