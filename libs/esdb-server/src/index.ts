export { startEmbeddedStore, type EmbeddedStore, type EmbeddedStoreOptions, type EmbeddedStoreTls } from './embedded-store';
export { createGrpcServer, MAX_MESSAGE_BYTES, type GrpcServerOptions } from './grpc/grpc-server';
export { type StoreObserver } from './storage';
export { SERVER_VERSION } from './grpc/server-features.service';
export { StorageFullError, StoreOpenError, type StorageFaults } from './storage';
