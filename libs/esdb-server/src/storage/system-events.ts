/**
 * The system events a real node writes when it starts, in a small faithful subset, so that `$all`
 * holds `$`-prefixed events as it does on a real node (and the client's system-event filter has
 * something to remove).
 *
 * - Each time a node becomes leader it writes an epoch, then a `$epoch-information` event to the
 *   `$epoch-information` stream whose JSON is the epoch record (EpochManager.WriteEpochInformationWithRetry,
 *   EpochRecord.AsSerialized in the EventStoreDB server).
 * - On its first election it makes sure `$$$scavenges` holds `$maxAge` (the scavenge history max age,
 *   30 days by default) and an `$ops` read ACL (TFChunkScavengerLogManager.SetScavengeStreamMetadata).
 *
 * A real node writes more (users, stats, projections); those depend on subsystems the embedded
 * server does not run.
 */
import { randomUUID } from 'node:crypto';
import type { ProposedEvent } from './storage.types';
import { METADATA_EVENT_TYPE, metastreamOf } from './stream-metadata';

export const EPOCH_INFORMATION_STREAM = '$epoch-information';
export const EPOCH_INFORMATION_EVENT_TYPE = '$epoch-information';
export const SCAVENGES_STREAM = '$scavenges';

const SCAVENGE_HISTORY_MAX_AGE_SECONDS = 30 * 24 * 60 * 60;

export interface StartupWrite {
  readonly streamId: string;
  readonly event: ProposedEvent;
}

function jsonEvent(type: string, body: string): ProposedEvent {
  return { id: randomUUID(), type, isJson: true, data: Buffer.from(body, 'utf8'), metadata: new Uint8Array(0) };
}

export function scavengesMetadataWrite(): StartupWrite {
  // A single role is written as a string and an empty role list as [], as the server's StreamMetadata does.
  const body = JSON.stringify({
    $maxAge: SCAVENGE_HISTORY_MAX_AGE_SECONDS,
    $acl: { $r: '$ops', $w: [], $d: [], $mr: [], $mw: [] },
  });
  return { streamId: metastreamOf(SCAVENGES_STREAM), event: jsonEvent(METADATA_EVENT_TYPE, body) };
}

export function epochInformationWrite(epoch: {
  epochNumber: bigint;
  epochPosition: bigint;
  prevEpochPosition: bigint;
  timeStamp: Date;
  leaderInstanceId: string;
}): StartupWrite {
  // Hand-built so that 64-bit positions print exactly; keys are camelCase as the server's JSON settings produce.
  const body =
    `{"epochPosition":${epoch.epochPosition},"epochNumber":${epoch.epochNumber},"epochId":"${randomUUID()}",` +
    `"prevEpochPosition":${epoch.prevEpochPosition},"timeStamp":"${epoch.timeStamp.toISOString()}",` +
    `"leaderInstanceId":"${epoch.leaderInstanceId}"}`;
  return { streamId: EPOCH_INFORMATION_STREAM, event: jsonEvent(EPOCH_INFORMATION_EVENT_TYPE, body) };
}
