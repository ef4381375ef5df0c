/**
 * Streams.Append: options first, then one proposed message per event, then
 * half-close; the write happens only after half-close, all or nothing
 * (esdb-wire.md 5.1).
 */
import type { ServerReadableStream, sendUnaryData } from '@grpc/grpc-js';
import { type AppendReq, AppendResp } from '@eventstore/db-client/generated/streams_pb';
import type { AppendResult, ExpectedRevision, ProposedEvent } from '../storage/storage.types';
import { refusal, type StreamsContext } from './context';
import { handlerException, invalidArgument, maxAppendSizeExceeded, missingRequiredMetadata, storeFull, streamDeleted, type GrpcError } from './errors';
import { StorageFullError } from '../storage/storage-errors';
import { payloadSize, toProposedEvent } from './proposed';
import { EMPTY, expectedOf, streamNameOf } from './wire';

function wrongExpectedVersionResp(current: AppendResult & { outcome: 'wrong_expected_version' }): AppendResp {
  const wev = new AppendResp.WrongExpectedVersion();
  if (current.current === 'no_stream') wev.setCurrentNoStream(EMPTY);
  else wev.setCurrentRevision(current.current.toString());
  const expected = current.expected;
  switch (expected.kind) {
    case 'any':
      wev.setExpectedAny(EMPTY);
      break;
    case 'no_stream':
      wev.setExpectedNoStream(EMPTY);
      break;
    case 'stream_exists':
      wev.setExpectedStreamExists(EMPTY);
      break;
    case 'exact':
      wev.setExpectedRevision(expected.revision.toString());
      break;
  }
  return new AppendResp().setWrongExpectedVersion(wev);
}

function successResp(result: AppendResult & { outcome: 'ok' }): AppendResp {
  const success = new AppendResp.Success();
  if (result.currentRevision === 'no_stream') success.setNoStream(EMPTY);
  else success.setCurrentRevision(result.currentRevision.toString());
  if (result.position === undefined) success.setNoPosition(EMPTY);
  else {
    const p = result.position.toString();
    success.setPosition(new AppendResp.Position().setCommitPosition(p).setPreparePosition(p));
  }
  return new AppendResp().setSuccess(success);
}

export function appendHandler(ctx: StreamsContext) {
  return (call: ServerReadableStream<AppendReq, AppendResp>, callback: sendUnaryData<AppendResp>): void => {
    const refused = refusal(ctx, call.metadata);
    let failure: GrpcError | undefined = refused;
    let stream: string | undefined;
    let expected: ExpectedRevision | undefined;
    let size = 0;
    const events: ProposedEvent[] = [];
    let settled = false;
    const settle = (error: GrpcError | null, value?: AppendResp) => {
      if (settled) return;
      settled = true;
      callback(error, value);
    };

    // After a failure the rest of the request is read and dropped, so that
    // the client always gets the status instead of a broken write.
    call.on('data', (req: AppendReq) => {
      if (failure) return;
      if (req.hasOptions()) {
        const options = req.getOptions()!;
        stream = streamNameOf(options.getStreamIdentifier());
        expected = expectedOf(options);
        if (stream === undefined || expected === undefined || events.length > 0) {
          failure = invalidArgument('Append options must come first and name a stream and an expected revision.');
        }
        return;
      }
      if (stream === undefined) {
        failure = invalidArgument('Append options must come first.');
        return;
      }
      const message = req.getProposedMessage();
      if (!message) {
        failure = invalidArgument('Empty append request.');
        return;
      }
      const event = toProposedEvent(message);
      if (event === 'missing-metadata') failure = missingRequiredMetadata();
      // A real node's Guid parsing and Event constructor throw here: ASP.NET answers its generic error.
      else if (typeof event === 'string') failure = handlerException();
      else {
        size += payloadSize(event);
        if (size > ctx.maxAppendSize) failure = maxAppendSizeExceeded(ctx.maxAppendSize);
        else events.push(event);
      }
      if (failure) events.length = 0;
    });

    call.on('end', () => {
      if (failure) return settle(failure);
      if (stream === undefined || expected === undefined) return settle(invalidArgument('Append options are missing.'));
      // A real node reads an empty name as null, and its write message's constructor throws on it.
      if (stream === '') return settle(handlerException());
      const name = stream;
      ctx.engine.append(name, expected, events).then(
        (result) => {
          switch (result.outcome) {
            case 'ok':
              return settle(null, successResp(result));
            case 'wrong_expected_version':
              return settle(null, wrongExpectedVersionResp(result));
            case 'stream_deleted':
              return settle(streamDeleted(name));
            case 'max_append_size_exceeded':
              return settle(maxAppendSizeExceeded(result.maxAppendSize));
          }
        },
        (error: unknown) => settle(error instanceof StorageFullError ? storeFull() : handlerException()),
      );
    });

    call.on('error', () => {
      settled = true;
    });
  };
}
