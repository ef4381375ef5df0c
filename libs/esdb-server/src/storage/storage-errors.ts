/**
 * The engine's own failures, each naming the file and the system's cause, so that an
 * operator reading the log knows what to fix without reading the code.
 */

/** Error codes of a full disk or quota: SQLite's for a failed write, the system's for a failed sync. */
const FULL_CODES = new Set(['SQLITE_FULL', 'ENOSPC', 'EDQUOT']);

function codeOf(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export function isDiskFull(error: unknown): boolean {
  const code = codeOf(error);
  return code !== undefined && FULL_CODES.has(code);
}

/**
 * The disk holding the store is full: the write or sync of `file` failed and nothing of it was
 * acknowledged. Writes are refused while it lasts and succeed again once space is freed.
 */
export class StorageFullError extends Error {
  /** SQLITE_FULL, ENOSPC or EDQUOT. */
  readonly reason: string;

  constructor(
    readonly file: string,
    readonly operation: 'write' | 'sync',
    cause: unknown,
  ) {
    const reason = codeOf(cause) ?? 'ENOSPC';
    const detail = messageOf(cause);
    super(`No space left to ${operation} ${file} (${detail.startsWith(reason) ? detail : `${reason}: ${detail}`}); writes are refused until space is freed`, {
      cause,
    });
    this.name = 'StorageFullError';
    this.reason = reason;
  }
}

/** The store could not be opened: the message names the file, the cause and what to check. */
export class StoreOpenError extends Error {
  constructor(
    readonly file: string,
    problem: string,
    cause?: unknown,
  ) {
    super(`Cannot open the store ${file}: ${problem}`, cause === undefined ? undefined : { cause });
    this.name = 'StoreOpenError';
  }
}
