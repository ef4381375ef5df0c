export * from './storage.types';
export {
  appendSize,
  DEFAULT_MAX_APPEND_SIZE,
  openSqliteEngine,
  type SqliteEngineOptions,
  type SqliteEngineStats,
  type SqliteStorageEngine,
  type StorageFaults,
} from './sqlite-engine';
export { type StoreObserver } from './store-observer';
export { DELETED_STREAM_REVISION, isMetastream, metastreamOf, originalStreamOf } from './stream-metadata';
export { EXPECTED_ANY, EXPECTED_NO_STREAM, EXPECTED_STREAM_EXISTS, expectedVersionCode } from './commit-check';
export { StorageFullError, StoreOpenError } from './storage-errors';
