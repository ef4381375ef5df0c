/**
 * Streams.BatchAppend: one long-lived bidi call per client channel, carrying
 * many appends multiplexed by correlation id (esdb-wire.md 5.2). Chunks are
 * accumulated per correlation id until `is_final`; each append gets exactly
 * one response echoing its correlation id and stream; the call itself is never
 * ended with OK while the client keeps it open.
 */
import type { ServerDuplexStream } from '@grpc/grpc-js';
import { Any } from 'google-protobuf/google/protobuf/any_pb';
import { Empty as PbEmpty } from 'google-protobuf/google/protobuf/empty_pb';
import { Code } from '@eventstore/db-client/generated/code_pb';
import {
  AccessDenied,
  AllStreamPosition,
  BadRequest,
  MaximumAppendSizeExceeded,
  StreamDeleted,
  Timeout,
  Unknown,
  WrongExpectedVersion,
  type StreamIdentifier,
  type UUID,
} from '@eventstore/db-client/generated/shared_pb';
import { Status } from '@eventstore/db-client/generated/status_pb';
import { type BatchAppendReq, BatchAppendResp } from '@eventstore/db-client/generated/streams_pb';
import type { AppendResult, ExpectedRevision, ProposedEvent } from '../storage/storage.types';
import type { StreamsContext } from './context';
import { unauthenticated } from './errors';
import { payloadSize, toProposedEvent } from './proposed';
import { expectedOf, streamIdentifier, streamNameOf, uuidOf } from './wire';

const PB_EMPTY = new PbEmpty();

interface Pending {
  readonly stream: string;
  readonly expected: ExpectedRevision;
  readonly events: ProposedEvent[];
  size: number;
}

function status(code: Code, message: string, name: string, payload: Uint8Array): Status {
  const details = new Any();
  details.pack(payload, name);
  return new Status().setCode(code).setMessage(message).setDetails(details);
}

function wrongExpectedVersionStatus(result: AppendResult & { outcome: 'wrong_expected_version' }): Status {
  const wev = new WrongExpectedVersion();
  if (result.current === 'no_stream') wev.setCurrentNoStream(PB_EMPTY);
  else wev.setCurrentStreamRevision(result.current.toString());
  const expected = result.expected;
  switch (expected.kind) {
    case 'any':
      wev.setExpectedAny(PB_EMPTY);
      break;
    case 'no_stream':
      wev.setExpectedNoStream(PB_EMPTY);
      break;
    case 'stream_exists':
      wev.setExpectedStreamExists(PB_EMPTY);
      break;
    case 'exact':
      wev.setExpectedStreamPosition(expected.revision.toString());
      break;
  }
  return status(Code.ALREADY_EXISTS, 'Wrong expected version.', 'event_store.client.WrongExpectedVersion', wev.serializeBinary());
}

function streamDeletedStatus(stream: string): Status {
  const payload = new StreamDeleted().setStreamIdentifier(streamIdentifier(stream)).serializeBinary();
  return status(Code.NOT_FOUND, `Event stream '${stream}' is deleted.`, 'event_store.client.StreamDeleted', payload);
}

function maxAppendSizeStatus(max: number): Status {
  const payload = new MaximumAppendSizeExceeded().setMaxappendsize(max).serializeBinary();
  return status(Code.INVALID_ARGUMENT, `Maximum Append Size of ${max} Exceeded.`, 'event_store.client.MaximumAppendSizeExceeded', payload);
}

function badRequestStatus(message: string): Status {
  const payload = new BadRequest().setMessage(message).serializeBinary();
  return status(Code.INVALID_ARGUMENT, message, 'event_store.client.BadRequest', payload);
}

const accessDeniedStatus = () =>
  status(Code.PERMISSION_DENIED, 'Access Denied', 'event_store.client.AccessDenied', new AccessDenied().serializeBinary());
const timeoutStatus = () => status(Code.DEADLINE_EXCEEDED, 'Timeout', 'event_store.client.Timeout', new Timeout().serializeBinary());
const unknownStatus = () => status(Code.UNKNOWN, 'Unknown error', 'event_store.client.Unknown', new Unknown().serializeBinary());

function resultResp(result: AppendResult, stream: string): BatchAppendResp {
  const resp = new BatchAppendResp();
  switch (result.outcome) {
    case 'ok': {
      const success = new BatchAppendResp.Success();
      if (result.currentRevision === 'no_stream') success.setNoStream(PB_EMPTY);
      else success.setCurrentRevision(result.currentRevision.toString());
      if (result.position === undefined) success.setNoPosition(PB_EMPTY);
      else {
        const p = result.position.toString();
        success.setPosition(new AllStreamPosition().setCommitPosition(p).setPreparePosition(p));
      }
      return resp.setSuccess(success);
    }
    case 'wrong_expected_version':
      return resp.setError(wrongExpectedVersionStatus(result));
    case 'stream_deleted':
      return resp.setError(streamDeletedStatus(stream));
    case 'max_append_size_exceeded':
      return resp.setError(maxAppendSizeStatus(result.maxAppendSize));
  }
}

export function batchAppendHandler(ctx: StreamsContext) {
  return (call: ServerDuplexStream<BatchAppendReq, BatchAppendResp>): void => {
    const caller = ctx.auth.identify(call.metadata);
    if (caller === 'rejected') {
      // A real node's authentication middleware refuses the whole call.
      call.emit('error', unauthenticated());
      return;
    }
    const pending = new Map<string, Pending>();
    let inFlight = 0;
    let halfClosed = false;
    let closed = false;

    const respond = (correlation: UUID, stream: StreamIdentifier | undefined, resp: BatchAppendResp) => {
      if (closed) return;
      resp.setCorrelationId(correlation);
      // The client dereferences the stream identifier of every response.
      resp.setStreamIdentifier(stream ?? streamIdentifier(''));
      call.write(resp);
    };
    const fail = (correlation: UUID, key: string, stream: StreamIdentifier | undefined, error: Status) => {
      pending.delete(key);
      respond(correlation, stream, new BatchAppendResp().setError(error));
    };
    const maybeFinish = () => {
      if (halfClosed && inFlight === 0 && !closed) {
        closed = true;
        call.end();
      }
    };

    call.on('data', (req: BatchAppendReq) => {
      const correlation = req.getCorrelationId();
      if (!correlation) return; // nothing to answer to
      const key = uuidOf(correlation) ?? `invalid:${correlation.getString()}`;
      const options = req.getOptions();
      let entry = pending.get(key);
      if (options) {
        const identifier = options.getStreamIdentifier();
        const stream = streamNameOf(identifier);
        const expected = expectedOf(options);
        if (caller === 'anonymous') return fail(correlation, key, identifier, accessDeniedStatus());
        if (uuidOf(correlation) === undefined) return fail(correlation, key, identifier, badRequestStatus('Invalid correlation id.'));
        if (stream === undefined) return fail(correlation, key, identifier, badRequestStatus('Required field StreamIdentifier not set.'));
        if (expected === undefined) return fail(correlation, key, identifier, badRequestStatus('Expected stream position not set.'));
        const deadline = options.getDeadline();
        if (deadline && deadline.toDate().getTime() <= Date.now()) return fail(correlation, key, identifier, timeoutStatus());
        if (!entry) {
          entry = { stream, expected, events: [], size: 0 };
          pending.set(key, entry);
        }
      }
      // Chunks of an append already answered (failed) or never opened are dropped, as a real node does.
      if (!entry) return;
      const identifier = streamIdentifier(entry.stream);
      for (const message of req.getProposedMessagesList()) {
        const event = toProposedEvent(message);
        if (event === 'missing-metadata') return fail(correlation, key, identifier, badRequestStatus('Required metadata properties missing: type, content-type.'));
        if (event === 'invalid-id') return fail(correlation, key, identifier, badRequestStatus('Unrecognized Guid format.'));
        if (event === 'empty-id') return fail(correlation, key, identifier, badRequestStatus("Empty eventId provided. (Parameter 'eventId')"));
        if (event === 'empty-type') return fail(correlation, key, identifier, badRequestStatus("Empty eventType provided. (Parameter 'eventType')"));
        entry.size += payloadSize(event);
        if (entry.size > ctx.maxAppendSize) return fail(correlation, key, identifier, maxAppendSizeStatus(ctx.maxAppendSize));
        entry.events.push(event);
      }
      if (!req.getIsFinal()) return;
      // A real node reads an empty name as null; its write message's constructor throws, answered as a bad request.
      if (entry.stream === '') return fail(correlation, key, identifier, badRequestStatus("Value cannot be null. (Parameter 'eventStreamId')"));
      pending.delete(key);
      inFlight++;
      const { stream, expected, events } = entry;
      ctx.engine.append(stream, expected, events).then(
        (result) => respond(correlation, identifier, resultResp(result, stream)),
        () => respond(correlation, identifier, new BatchAppendResp().setError(unknownStatus())),
      ).finally(() => {
        inFlight--;
        maybeFinish();
      });
    });

    call.on('end', () => {
      halfClosed = true;
      maybeFinish();
    });
    const drop = () => {
      closed = true;
      pending.clear();
    };
    call.on('cancelled', drop);
    call.on('error', drop);
  };
}
