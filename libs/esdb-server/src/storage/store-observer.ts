/**
 * What the engine tells whoever watches it (metrics, for one): plain callbacks, so the
 * store depends on no metrics library and a caller on another thread can keep its own.
 * They run on the engine's thread between commits: keep them to a counter's cost.
 */
export interface StoreObserver {
  /** One group commit: how many writes it held, and how many of those were appends. */
  committed?(writes: number, appends: number): void;
  /** One fdatasync of the log, in seconds (after it succeeded or failed). */
  synced?(seconds: number): void;
}
