/**
 * Streams.Read: count mode (readStream / readAll, esdb-wire.md section 6) and
 * subscription mode (section 9, see subscription.ts).
 */
import { ReadReq, ReadResp } from '@eventstore/db-client/generated/streams_pb';
import type { AllFrom, Direction, StoredEvent, StreamFrom } from '../storage/storage.types';
import { CallWriter, EVENTS_PER_TURN, toBytes, type ReadCall } from './call-writer';
import { refusal, type StreamsContext } from './context';
import { internal, invalidArgument, streamDeleted, type GrpcError } from './errors';
import { buildFilter, type EventFilter } from './filter';
import { eventEncoder } from './links';
import { Subscription } from './subscription';
import { streamIdentifier, streamNameOf } from './wire';

const yieldToLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

function fail(call: ReadCall, error: GrpcError): void {
  call.emit('error', error);
}

function streamFrom(options: ReadReq.Options.StreamOptions): StreamFrom | undefined {
  switch (options.getRevisionOptionCase()) {
    case ReadReq.Options.StreamOptions.RevisionOptionCase.START:
      return 'start';
    case ReadReq.Options.StreamOptions.RevisionOptionCase.END:
      return 'end';
    case ReadReq.Options.StreamOptions.RevisionOptionCase.REVISION:
      return BigInt(options.getRevision());
    default:
      return undefined;
  }
}

function allFrom(options: ReadReq.Options.AllOptions): AllFrom | undefined {
  switch (options.getAllOptionCase()) {
    case ReadReq.Options.AllOptions.AllOptionCase.START:
      return 'start';
    case ReadReq.Options.AllOptions.AllOptionCase.END:
      return 'end';
    case ReadReq.Options.AllOptions.AllOptionCase.POSITION:
      return BigInt(options.getPosition()!.getCommitPosition());
    default:
      return undefined;
  }
}

async function pump(
  call: ReadCall,
  events: Iterable<StoredEvent>,
  filter: EventFilter | undefined,
  limit: bigint,
  encode: (event: StoredEvent) => Buffer,
): Promise<void> {
  const writer = new CallWriter<undefined>(call, undefined, () => undefined);
  try {
    let sent = 0n;
    let n = 0;
    for (const event of events) {
      if (writer.closed || sent >= limit) break;
      if (filter && !filter.matches(event)) continue;
      writer.send(encode(event), undefined);
      sent++;
      if (writer.isBlocked) await writer.drained();
      else if (++n % EVENTS_PER_TURN === 0) await yieldToLoop();
    }
    if (!writer.closed) writer.end();
  } catch (error) {
    writer.fail(internal(`Read failed: ${String(error)}`));
  }
}

/** Where an `$all` read or subscription starts and what it filters, or why the request is malformed. */
function allTarget(options: ReadReq.Options): { from: AllFrom; filter: EventFilter | undefined } | string {
  const all = options.getAll();
  const from = all ? allFrom(all) : undefined;
  if (from === undefined) return 'A stream or $all with a start is required.';
  if (!options.hasFilter()) return { from, filter: undefined };
  const filter = buildFilter(options.getFilter()!);
  return typeof filter === 'string' ? filter : { from, filter };
}

function readCount(ctx: StreamsContext, call: ReadCall, options: ReadReq.Options): void {
  const direction: Direction = options.getReadDirection() === ReadReq.Options.ReadDirection.BACKWARDS ? 'backwards' : 'forwards';
  const count = BigInt(options.getCount());
  if (options.hasStream()) {
    const streamOptions = options.getStream()!;
    const stream = streamNameOf(streamOptions.getStreamIdentifier());
    const from = streamFrom(streamOptions);
    if (stream === undefined || from === undefined) return fail(call, invalidArgument('A stream and a start are required.'));
    const result = ctx.engine.readStream(stream, from, direction, count);
    if (result.outcome === 'deleted') return fail(call, streamDeleted(stream));
    if (result.outcome === 'not_found') {
      const notFound = new ReadResp.StreamNotFound().setStreamIdentifier(streamIdentifier(stream));
      // eslint-disable-next-line @typescript-eslint/no-explicit-any
      call.write(toBytes(new ReadResp().setStreamNotFound(notFound)) as any);
      call.end();
      return;
    }
    void pump(call, result.events, undefined, count, eventEncoder(ctx.engine, options.getResolveLinks()));
    return;
  }
  const target = allTarget(options);
  if (typeof target === 'string') return fail(call, invalidArgument(target));
  const { from, filter } = target;
  // A filtered read counts matching events, so the engine's page limit cannot be the count.
  const events = ctx.engine.readAll(from, direction, filter ? 2n ** 63n - 1n : count);
  void pump(call, events, filter, count, eventEncoder(ctx.engine, options.getResolveLinks()));
}

function subscribe(ctx: StreamsContext, call: ReadCall, options: ReadReq.Options): void {
  if (options.hasStream()) {
    const streamOptions = options.getStream()!;
    const stream = streamNameOf(streamOptions.getStreamIdentifier());
    const from = streamFrom(streamOptions);
    if (stream === undefined || from === undefined) return fail(call, invalidArgument('A stream and a start are required.'));
    new Subscription(call, ctx.engine, { kind: 'stream', stream, from }, eventEncoder(ctx.engine, options.getResolveLinks())).start();
    return;
  }
  const target = allTarget(options);
  if (typeof target === 'string') return fail(call, invalidArgument(target));
  const { from, filter } = target;
  new Subscription(call, ctx.engine, { kind: 'all', from, filter }, eventEncoder(ctx.engine, options.getResolveLinks())).start();
}

export function readHandler(ctx: StreamsContext) {
  return (call: ReadCall): void => {
    const refused = refusal(ctx, call.metadata);
    if (refused) return fail(call, refused);
    const options = call.request.getOptions();
    if (!options) return fail(call, invalidArgument('Read options are required.'));
    try {
      if (options.hasSubscription()) subscribe(ctx, call, options);
      else readCount(ctx, call, options);
    } catch (error) {
      fail(call, internal(`Read failed: ${String(error)}`));
    }
  };
}
