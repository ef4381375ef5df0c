/**
 * Streams.Delete (soft delete) and Streams.Tombstone (hard delete). Errors go
 * through status and trailers only (esdb-wire.md section 7).
 */
import type { ServerUnaryCall, sendUnaryData } from '@grpc/grpc-js';
import { type DeleteReq, DeleteResp, type TombstoneReq, TombstoneResp } from '@eventstore/db-client/generated/streams_pb';
import type { DeleteResult } from '../storage/storage.types';
import { refusal, type StreamsContext } from './context';
import { handlerException, invalidArgument, storeFull, streamDeleted, wrongExpectedVersion, type GrpcError } from './errors';
import { StorageFullError } from '../storage/storage-errors';
import { expectedOf, streamNameOf } from './wire';

type Settle = (error: GrpcError | null, position?: bigint) => void;

function run(ctx: StreamsContext, options: DeleteReq.Options | TombstoneReq.Options | undefined, operation: 'delete' | 'tombstone', settle: Settle): void {
  const stream = streamNameOf(options?.getStreamIdentifier());
  const expected = options ? expectedOf(options) : undefined;
  if (stream === undefined || expected === undefined) {
    settle(invalidArgument('A stream and an expected revision are required.'));
    return;
  }
  if (stream === '') {
    // A real node reads an empty name as null, and its delete message's constructor throws on it.
    settle(handlerException());
    return;
  }
  const pending: Promise<DeleteResult> = operation === 'delete' ? ctx.engine.delete(stream, expected) : ctx.engine.tombstone(stream, expected);
  pending.then(
    (result) => {
      switch (result.outcome) {
        case 'ok':
          return settle(null, result.position);
        case 'wrong_expected_version':
          return settle(wrongExpectedVersion(stream, result.expected, result.current));
        case 'stream_deleted':
          return settle(streamDeleted(stream));
      }
    },
    (error: unknown) => settle(error instanceof StorageFullError ? storeFull() : handlerException()),
  );
}

export function deleteHandler(ctx: StreamsContext) {
  return (call: ServerUnaryCall<DeleteReq, DeleteResp>, callback: sendUnaryData<DeleteResp>): void => {
    const refused = refusal(ctx, call.metadata);
    if (refused) return callback(refused);
    run(ctx, call.request.getOptions(), 'delete', (error, position) => {
      if (error) return callback(error);
      const p = position!.toString();
      callback(null, new DeleteResp().setPosition(new DeleteResp.Position().setCommitPosition(p).setPreparePosition(p)));
    });
  };
}

export function tombstoneHandler(ctx: StreamsContext) {
  return (call: ServerUnaryCall<TombstoneReq, TombstoneResp>, callback: sendUnaryData<TombstoneResp>): void => {
    const refused = refusal(ctx, call.metadata);
    if (refused) return callback(refused);
    run(ctx, call.request.getOptions(), 'tombstone', (error, position) => {
      if (error) return callback(error);
      const p = position!.toString();
      callback(null, new TombstoneResp().setPosition(new TombstoneResp.Position().setCommitPosition(p).setPreparePosition(p)));
    });
  };
}
