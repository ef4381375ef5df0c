/**
 * Streams.BatchAppend: one long-lived bidi call per client channel, carrying
 * many appends multiplexed by correlation id (esdb-wire.md 5.2). Chunks are
 * accumulated per correlation id until `is_final`; each append gets exactly
 * one response echoing its correlation id and stream; the call itself is never
 * ended with OK while the client keeps it open. Requests and successful
 * responses go through the hand codec (batch-append.codec.ts).
 */
import type { ServerDuplexStream } from '@grpc/grpc-js';
import { BinaryWriter } from 'google-protobuf';
import { Any } from 'google-protobuf/google/protobuf/any_pb';
import { Empty as PbEmpty } from 'google-protobuf/google/protobuf/empty_pb';
import { Code } from '@eventstore/db-client/generated/code_pb';
import {
  AccessDenied,
  BadRequest,
  MaximumAppendSizeExceeded,
  StreamDeleted,
  Timeout,
  Unknown,
  WrongExpectedVersion,
} from '@eventstore/db-client/generated/shared_pb';
import { Status } from '@eventstore/db-client/generated/status_pb';
import type { AppendResult, ExpectedRevision, ProposedEvent } from '../storage/storage.types';
import type { StreamsContext } from './context';
import { StorageFullError } from '../storage/storage-errors';
import { STORE_FULL_DETAILS, unauthenticated } from './errors';
import { encodeBatchAppendResp, type BatchAppendOutcome, type WireBatchAppendReq } from './batch-append.codec';
import { payloadSize, proposedEventOf } from './proposed';
import { streamIdentifier } from './wire';

const PB_EMPTY = new PbEmpty();
const NO_NAME = new Uint8Array(0);
const utf8 = new TextDecoder('utf-8');

interface Pending {
  readonly stream: string;
  /** The name's bytes as received, echoed in the response. */
  readonly streamName: Uint8Array;
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

const accessDeniedStatus = () => status(Code.PERMISSION_DENIED, 'Access Denied', 'event_store.client.AccessDenied', new AccessDenied().serializeBinary());
const timeoutStatus = () => status(Code.DEADLINE_EXCEEDED, 'Timeout', 'event_store.client.Timeout', new Timeout().serializeBinary());
const unknownStatus = () => status(Code.UNKNOWN, 'Unknown error', 'event_store.client.Unknown', new Unknown().serializeBinary());

/**
 * A full disk, with google.rpc's detail for an exhausted resource (ResourceInfo: type 1, description 4).
 * The client knows no such detail and passes the message on ("Could not recognize …"), which is what
 * the adapter reads; the unary Append answers the same with gRPC's own status.
 */
function storeFullStatus(): Status {
  const info = new BinaryWriter();
  info.writeString(1, 'disk');
  info.writeString(4, STORE_FULL_DETAILS);
  return status(Code.RESOURCE_EXHAUSTED, STORE_FULL_DETAILS, 'google.rpc.ResourceInfo', info.getResultBuffer());
}

/** The answer to one append: a hand-encoded success, or a Status built with the generated classes. */
function outcomeOf(result: AppendResult, stream: string): BatchAppendOutcome {
  switch (result.outcome) {
    case 'ok':
      return {
        kind: 'success',
        currentRevision: result.currentRevision === 'no_stream' ? undefined : result.currentRevision,
        position: result.position,
      };
    case 'wrong_expected_version':
      return failure(wrongExpectedVersionStatus(result));
    case 'stream_deleted':
      return failure(streamDeletedStatus(stream));
    case 'max_append_size_exceeded':
      return failure(maxAppendSizeStatus(result.maxAppendSize));
  }
}

const failure = (error: Status): BatchAppendOutcome => ({ kind: 'error', status: error.serializeBinary() });

export function batchAppendHandler(ctx: StreamsContext) {
  return (call: ServerDuplexStream<WireBatchAppendReq, Buffer>): void => {
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

    // The client dereferences the stream identifier of every response: always set, empty when unknown.
    const respond = (correlation: Uint8Array, streamName: Uint8Array | undefined, outcome: BatchAppendOutcome) => {
      if (closed) return;
      call.write(encodeBatchAppendResp(correlation, streamName ?? NO_NAME, outcome));
    };
    const fail = (correlation: Uint8Array, key: string, streamName: Uint8Array | undefined, error: Status) => {
      pending.delete(key);
      respond(correlation, streamName, failure(error));
    };
    const maybeFinish = () => {
      if (halfClosed && inFlight === 0 && !closed) {
        closed = true;
        call.end();
      }
    };

    call.on('data', (req: WireBatchAppendReq) => {
      const correlationId = req.correlationId;
      if (!correlationId) return; // nothing to answer to
      const correlation = correlationId.bytes;
      const key = correlationId.canonical ?? `invalid:${correlationId.text}`;
      const options = req.options;
      let entry = pending.get(key);
      if (options) {
        const name = options.streamName;
        if (caller === 'anonymous') return fail(correlation, key, name, accessDeniedStatus());
        if (correlationId.canonical === undefined) return fail(correlation, key, name, badRequestStatus('Invalid correlation id.'));
        if (name === undefined) return fail(correlation, key, name, badRequestStatus('Required field StreamIdentifier not set.'));
        if (options.expected === undefined) return fail(correlation, key, name, badRequestStatus('Expected stream position not set.'));
        if (options.deadline !== undefined && options.deadline <= Date.now()) return fail(correlation, key, name, timeoutStatus());
        if (!entry) {
          entry = { stream: utf8.decode(name), streamName: name, expected: options.expected, events: [], size: 0 };
          pending.set(key, entry);
        }
      }
      // Chunks of an append already answered (failed) or never opened are dropped, as a real node does.
      if (!entry) return;
      const name = entry.streamName;
      for (const message of req.proposedMessages) {
        const event = proposedEventOf({
          id: message.id?.canonical,
          type: message.type,
          contentType: message.contentType,
          data: message.data,
          customMetadata: message.customMetadata,
        });
        if (event === 'missing-metadata') return fail(correlation, key, name, badRequestStatus('Required metadata properties missing: type, content-type.'));
        if (event === 'invalid-id') return fail(correlation, key, name, badRequestStatus('Unrecognized Guid format.'));
        if (event === 'empty-id') return fail(correlation, key, name, badRequestStatus("Empty eventId provided. (Parameter 'eventId')"));
        if (event === 'empty-type') return fail(correlation, key, name, badRequestStatus("Empty eventType provided. (Parameter 'eventType')"));
        entry.size += payloadSize(event);
        if (entry.size > ctx.maxAppendSize) return fail(correlation, key, name, maxAppendSizeStatus(ctx.maxAppendSize));
        entry.events.push(event);
      }
      if (!req.isFinal) return;
      // A real node reads an empty name as null; its write message's constructor throws, answered as a bad request.
      if (entry.stream === '') return fail(correlation, key, name, badRequestStatus("Value cannot be null. (Parameter 'eventStreamId')"));
      pending.delete(key);
      inFlight++;
      const { stream, expected, events } = entry;
      ctx.engine
        .append(stream, expected, events)
        .then(
          (result) => respond(correlation, name, outcomeOf(result, stream)),
          (error: unknown) => respond(correlation, name, failure(error instanceof StorageFullError ? storeFullStatus() : unknownStatus())),
        )
        .finally(() => {
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
