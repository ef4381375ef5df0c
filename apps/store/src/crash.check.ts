/**
 * The crash test's judge: given what the appenders sent and what the store
 * acknowledged, and what a restarted store holds, list every durability
 * violation. Pure, so that it can be shown to catch each kind of violation
 * without a store running.
 */

/** `'any'`, `'no_stream'` or the exact revision the append expected. */
export type SentExpectation = 'any' | 'no_stream' | bigint;

export type BatchState =
  /** Sent, no answer yet (or none that can be trusted: the store was killed). */
  | 'inflight'
  /** Acknowledged by the store: must be present from now on. */
  | 'acked'
  /** In flight at a kill and found complete after the restart: must stay present. */
  | 'landed'
  /** In flight at a kill and found missing after the restart: must stay missing unless re-sent. */
  | 'absent'
  /** Refused with wrong-expected-version: must never appear. */
  | 'refused';

/** One append: its events are all-or-nothing. */
export interface Batch {
  readonly seq: number;
  readonly stream: string;
  readonly ids: readonly string[];
  /** The JSON text of each event's data, as sent. */
  readonly payloads: readonly string[];
  readonly expected: SentExpectation;
  /** How many appends had been acknowledged (`ackSeq` below it) when this one was first sent. */
  readonly acksBefore: number;
  state: BatchState;
  /** Order of the acknowledgement among all acknowledgements, for `acksBefore`. */
  ackSeq?: number;
  /** Revision of the first event: from the acknowledgement, or found after the restart. */
  firstRevision?: bigint;
  /** Commit position the acknowledgement reported. */
  reportedPosition?: bigint;
}

/** An event as read back through the client. */
export interface ObservedEvent {
  readonly stream: string;
  readonly revision: bigint;
  readonly id: string;
  /** Commit position; undefined when a stream read does not carry it. */
  readonly position: bigint | undefined;
  /** JSON text of the data as read. */
  readonly payload: string;
}

export interface Observation {
  /** `$all`, forwards from the start. */
  readonly all: readonly ObservedEvent[];
  /** Each stream of the test read forwards from its start (missing streams: empty). */
  readonly streams: ReadonlyMap<string, readonly ObservedEvent[]>;
  /** Whether a stream name belongs to the test (its events must all be accounted for). */
  readonly isTestStream: (stream: string) => boolean;
}

export interface CheckResult {
  readonly violations: string[];
  /** For every in-flight batch: its first revision if it landed whole, undefined if absent. */
  readonly inflight: ReadonlyMap<Batch, bigint | undefined>;
  /** Events of the test streams that were checked. */
  readonly eventsChecked: number;
}

const MAX_VIOLATIONS = 50;

export function checkDurability(batches: readonly Batch[], observed: Observation): CheckResult {
  const violations: string[] = [];
  const violate = (message: string): void => {
    if (violations.length < MAX_VIOLATIONS) violations.push(message);
  };

  // $all: commit order, each event once.
  const inAll = new Map<string, ObservedEvent>();
  let previous: bigint | undefined;
  for (const event of observed.all) {
    if (event.position === undefined) violate(`$all: event ${event.id} has no position`);
    else if (previous !== undefined && event.position <= previous) {
      violate(`$all: position ${event.position} (event ${event.id}) not after ${previous}`);
    }
    if (event.position !== undefined) previous = event.position;
    if (inAll.has(event.id)) violate(`$all: event ${event.id} appears twice`);
    inAll.set(event.id, event);
  }

  // Each stream: revisions 0..n-1, and exactly its events of $all in the same order.
  const allByStream = new Map<string, ObservedEvent[]>();
  for (const event of observed.all) {
    if (!observed.isTestStream(event.stream)) continue;
    const list = allByStream.get(event.stream) ?? [];
    list.push(event);
    allByStream.set(event.stream, list);
  }
  for (const stream of allByStream.keys()) {
    if (!observed.streams.has(stream)) violate(`$all holds events of ${stream}, a stream the test never wrote`);
  }
  const located = new Map<string, ObservedEvent>();
  let eventsChecked = 0;
  for (const [stream, events] of observed.streams) {
    const fromAll = allByStream.get(stream) ?? [];
    if (fromAll.length !== events.length) {
      violate(`${stream}: ${events.length} events in the stream, ${fromAll.length} of its events in $all`);
    }
    events.forEach((event, index) => {
      eventsChecked += 1;
      if (event.revision !== BigInt(index)) {
        violate(`${stream}: event #${index} (${event.id}) has revision ${event.revision} (gap or duplicate)`);
      }
      if (located.has(event.id)) violate(`${stream}: event ${event.id} appears twice`);
      located.set(event.id, event);
      const twin = fromAll[index];
      if (twin && (twin.id !== event.id || twin.revision !== event.revision)) {
        violate(`${stream}@${index}: stream read has ${event.id}, $all has ${twin.id}@${twin.revision}`);
      } else if (twin && event.position !== undefined && event.position !== twin.position) {
        violate(`${stream}@${index}: position ${event.position} in the stream, ${twin.position} in $all`);
      }
    });
  }

  // Every event of the test streams came from a batch that may be there.
  const batchOf = new Map<string, Batch>();
  for (const batch of batches) for (const id of batch.ids) batchOf.set(id, batch);
  for (const event of located.values()) {
    const batch = batchOf.get(event.id);
    if (!batch) violate(`${event.stream}@${event.revision}: event ${event.id} was never sent`);
    else if (batch.stream !== event.stream) violate(`event ${event.id} sent to ${batch.stream}, found in ${event.stream}`);
  }

  const inflight = new Map<Batch, bigint | undefined>();
  for (const batch of batches) {
    const found = batch.ids.map((id) => located.get(id));
    const present = found.filter((event) => event !== undefined).length;
    const label = `append #${batch.seq} to ${batch.stream} (${batch.ids.length} events, ${batch.state})`;
    switch (batch.state) {
      case 'acked':
      case 'landed': {
        if (present !== batch.ids.length) {
          violate(`${label}: ${batch.ids.length - present} of its events are missing`);
          break;
        }
        checkInPlace(batch, found as ObservedEvent[], batch.firstRevision, label, violate);
        if (batch.reportedPosition !== undefined) {
          const first = found[0]?.position;
          const last = found[found.length - 1]?.position;
          if (first !== undefined && last !== undefined && (batch.reportedPosition < first || batch.reportedPosition > last)) {
            violate(`${label}: acknowledged at position ${batch.reportedPosition}, stored at ${first}..${last}`);
          }
        }
        break;
      }
      case 'inflight': {
        if (present === 0) inflight.set(batch, undefined);
        else if (present < batch.ids.length) violate(`${label}: half-written, ${present} of ${batch.ids.length} events present`);
        else {
          const first = (found[0] as ObservedEvent).revision;
          checkInPlace(batch, found as ObservedEvent[], first, label, violate);
          inflight.set(batch, first);
        }
        break;
      }
      case 'absent':
      case 'refused':
        if (present > 0) violate(`${label}: ${present} of its events are present`);
        break;
    }
  }

  checkRealTimeOrder(batches, located, inflight, violate);
  return { violations, inflight, eventsChecked };
}

/** The batch's events sit in its stream, consecutively from `firstRevision`, with the data sent. */
function checkInPlace(
  batch: Batch,
  found: readonly ObservedEvent[],
  firstRevision: bigint | undefined,
  label: string,
  violate: (message: string) => void,
): void {
  found.forEach((event, index) => {
    if (firstRevision !== undefined && event.revision !== firstRevision + BigInt(index)) {
      violate(`${label}: event ${event.id} at revision ${event.revision}, expected ${firstRevision + BigInt(index)}`);
    }
    if (event.payload !== batch.payloads[index]) violate(`${label}: event ${event.id} data differs from what was sent`);
  });
}

/**
 * An append sent after another was acknowledged is positioned after it in `$all`
 * (what a single node guarantees, and what read-your-writes relies on).
 */
function checkRealTimeOrder(
  batches: readonly Batch[],
  located: ReadonlyMap<string, ObservedEvent>,
  inflight: ReadonlyMap<Batch, bigint | undefined>,
  violate: (message: string) => void,
): void {
  const span = (batch: Batch): { min: bigint; max: bigint } | undefined => {
    const positions = batch.ids.map((id) => located.get(id)?.position);
    if (positions.some((position) => position === undefined)) return undefined;
    const values = positions as bigint[];
    return { min: values.reduce((a, b) => (b < a ? b : a)), max: values.reduce((a, b) => (b > a ? b : a)) };
  };
  // prefixMax[k]: the highest position written by the acknowledgements with ackSeq < k.
  const maxByAck: (bigint | undefined)[] = [];
  for (const batch of batches) {
    if (batch.state === 'acked' && batch.ackSeq !== undefined) maxByAck[batch.ackSeq] = span(batch)?.max;
  }
  const prefixMax: (bigint | undefined)[] = [undefined];
  for (let k = 0; k < maxByAck.length; k += 1) {
    const carried = prefixMax[k];
    const max = maxByAck[k];
    prefixMax.push(max !== undefined && (carried === undefined || max > carried) ? max : carried);
  }
  for (const batch of batches) {
    const considered = batch.state === 'acked' || batch.state === 'landed' || inflight.get(batch) !== undefined;
    if (!considered) continue;
    const before = prefixMax[Math.min(batch.acksBefore, prefixMax.length - 1)];
    const own = span(batch);
    if (before !== undefined && own !== undefined && own.min <= before) {
      violate(
        `append #${batch.seq} to ${batch.stream} was sent after ${batch.acksBefore} acknowledgements, ` +
          `yet sits at ${own.min}, before an acknowledged event at ${before}`,
      );
    }
  }
}
