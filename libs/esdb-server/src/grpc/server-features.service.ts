/**
 * ServerFeatures.GetSupportedMethods, which the client asks once per channel
 * to choose BatchAppend or Append (esdb-wire.md section 2). It names exactly
 * the methods this server implements, lower-case as a real node sends them,
 * and never fails: any error but UNIMPLEMENTED would be cached by the client
 * and break every later append.
 */
import type { ServerUnaryCall, sendUnaryData } from '@grpc/grpc-js';
import type { Empty } from '@eventstore/db-client/generated/shared_pb';
import { SupportedMethod, SupportedMethods } from '@eventstore/db-client/generated/serverfeatures_pb';

/** The protocol generation this server speaks, and that it is not a real node. */
export const SERVER_VERSION = '23.10.0-newsroom-embedded';

const STREAMS = 'event_store.client.streams.streams';

export function supportedMethods(batchAppend: boolean): SupportedMethods {
  const method = (service: string, name: string, features: string[] = []) =>
    new SupportedMethod().setServiceName(service).setMethodName(name).setFeaturesList(features);
  const methods = [
    method(STREAMS, 'read', ['position', 'events']),
    method(STREAMS, 'append'),
    method(STREAMS, 'delete'),
    method(STREAMS, 'tombstone'),
    method('event_store.client.server_features.serverfeatures', 'getsupportedmethods'),
  ];
  if (batchAppend) methods.splice(2, 0, method(STREAMS, 'batchappend', ['deadline_duration']));
  return new SupportedMethods().setMethodsList(methods).setEventStoreServerVersion(SERVER_VERSION);
}

export function getSupportedMethodsHandler(batchAppend: boolean) {
  const answer = supportedMethods(batchAppend);
  return (_call: ServerUnaryCall<Empty, SupportedMethods>, callback: sendUnaryData<SupportedMethods>): void => {
    callback(null, answer);
  };
}
