/**
 * The SQLite file: one `events` table that is the log itself. Position is the rowid, so `$all`
 * is the table in rowid order and a stream is an index range. Nothing else is stored: every
 * in-memory index of the engine is rebuilt from this table on open.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import Database from 'better-sqlite3';

import { StoreOpenError } from './storage-errors';

const SCHEMA_VERSION = 1;
/**
 * Stamped in the SQLite header of every store this engine creates ('NLDG'): an existing file
 * without it is someone else's, and is refused rather than written to.
 */
export const APPLICATION_ID = 0x4e4c4447;

export const STORE_FILE_NAME = 'store.sqlite';

const SCHEMA = `
  CREATE TABLE events (
    position  INTEGER PRIMARY KEY,
    stream    TEXT    NOT NULL,
    revision  INTEGER NOT NULL,
    event_id  TEXT    NOT NULL,
    type      TEXT    NOT NULL,
    is_json   INTEGER NOT NULL,
    data      BLOB    NOT NULL,
    metadata  BLOB    NOT NULL,
    created   INTEGER NOT NULL
  );
  CREATE UNIQUE INDEX events_by_stream ON events (stream, revision);
  PRAGMA application_id = ${APPLICATION_ID};
  PRAGMA user_version = ${SCHEMA_VERSION};
`;

export function databaseFile(dataDir: string): string {
  return path.join(dataDir, STORE_FILE_NAME);
}

export function openDatabase(options: { dataDir?: string; memory?: boolean }): Database.Database {
  if (options.memory) {
    const db = new Database(':memory:');
    db.exec(SCHEMA);
    configure(db);
    return db;
  }
  if (options.dataDir === undefined) throw new Error('openSqliteEngine needs a dataDir unless memory is set');
  const file = databaseFile(options.dataDir);
  prepareDirectory(options.dataDir, file);
  if (!fs.existsSync(file)) createStore(file);
  else if (fs.statSync(file).size === 0) {
    throw new StoreOpenError(
      file,
      'the file is empty (0 bytes), so it holds no store this engine wrote (a new store is created only where no file exists); ' +
        'restore it from a backup, or remove it to start an empty ledger',
    );
  }
  let db: Database.Database | undefined;
  try {
    db = new Database(file, { fileMustExist: true });
    // Identified before configuring: WAL mode would rewrite the header of a file that is not ours.
    checkIdentity(db, file);
    configure(db);
    return db;
  } catch (error) {
    db?.close();
    throw openFailure(file, error);
  }
}

/**
 * The data directory must exist and be writable: SQLite writes the WAL beside the file, and
 * otherwise fails later with a bare "disk I/O error" or "unable to open database file".
 */
function prepareDirectory(dataDir: string, file: string): void {
  try {
    fs.mkdirSync(dataDir, { recursive: true });
    fs.accessSync(dataDir, fs.constants.W_OK);
  } catch (error) {
    throw new StoreOpenError(
      file,
      `the data directory ${dataDir} is not writable (${systemCause(error)}); the store writes store.sqlite and its -wal file there: ` +
        'check its permissions and that its file system is mounted read-write',
      error,
    );
  }
}

/**
 * A new store is built under a temporary name and renamed into place once its schema and stamp
 * are on disk, so a crash while creating it never leaves a store.sqlite that is empty or half made.
 */
function createStore(file: string): void {
  const creating = `${file}.creating`;
  fs.rmSync(creating, { force: true });
  fs.rmSync(`${creating}-journal`, { force: true });
  try {
    const db = new Database(creating);
    try {
      db.exec(`BEGIN; ${SCHEMA} COMMIT;`);
    } finally {
      db.close();
    }
    syncFile(creating);
    fs.renameSync(creating, file);
    syncFile(path.dirname(file));
  } catch (error) {
    throw openFailure(file, error);
  }
}

/** fsync of a file, or of a directory (its entries: syncing a file does not sync its name). */
export function syncFile(file: string): void {
  const fd = fs.openSync(file, 'r');
  try {
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

/** Refuses a file that SQLite can read but that this engine did not write (or a newer one did). */
function checkIdentity(db: Database.Database, file: string): void {
  const applicationId = db.pragma('application_id', { simple: true }) as number;
  const version = db.pragma('user_version', { simple: true }) as number;
  const columns = (db.pragma('table_info(events)') as { name: string }[]).map((column) => column.name).join(', ');
  if (applicationId === APPLICATION_ID && version !== SCHEMA_VERSION) {
    throw new StoreOpenError(file, `its schema version ${version} is not the one this engine knows (${SCHEMA_VERSION}): written by another version?`);
  }
  // Stores created before the stamp carry application_id 0; they are recognised by their schema.
  if ((applicationId !== APPLICATION_ID && applicationId !== 0) || version !== SCHEMA_VERSION || columns !== EVENT_COLUMNS) {
    const tables = (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").pluck(true).all() as string[]).join(', ');
    throw new StoreOpenError(
      file,
      `it is a SQLite file of another application, not a store of this engine (application_id ${applicationId}, ` +
        `user_version ${version}, tables: ${tables === '' ? 'none' : tables}); point the store at another directory`,
    );
  }
}

function configure(db: Database.Database): void {
  // One engine per file: its in-memory index must be the only writer's view. The lock is held
  // until close (the OS drops it if the process dies), so a second store on the same directory
  // fails here instead of diverging.
  db.pragma('locking_mode = EXCLUSIVE');
  // WAL + synchronous=NORMAL: COMMIT writes the WAL without syncing it, and the engine fdatasyncs
  // the WAL itself, off the event loop, before it acknowledges anything (sqlite-engine.ts): together
  // that is synchronous=FULL's guarantee, so an acknowledged write survives kill -9 and power loss.
  // NORMAL still syncs the WAL before each checkpoint and the database after it; a torn tail of the
  // WAL is discarded on the next open.
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = OFF');
  // Reads page through the log while writes keep arriving; a larger page cache keeps recent pages hot.
  db.pragma('cache_size = -65536');
  if (db.pragma('application_id', { simple: true }) === 0) db.pragma(`application_id = ${APPLICATION_ID}`);
}

function systemCause(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  const message = error instanceof Error ? error.message : String(error);
  return typeof code === 'string' && !message.startsWith(code) ? `${code}: ${message}` : message;
}

/** What went wrong opening `file`, in words an operator can act on. */
export function openFailure(file: string, error: unknown): Error {
  if (error instanceof StoreOpenError) return error;
  const code = (error as { code?: unknown } | null)?.code;
  switch (code) {
    case 'SQLITE_BUSY':
      return new StoreOpenError(file, 'it is open in another process (a second store on the same directory)', error);
    case 'SQLITE_NOTADB':
    case 'SQLITE_CORRUPT':
      return new StoreOpenError(file, `it is corrupt or not a SQLite database (${systemCause(error)}); restore it from a backup`, error);
    case 'SQLITE_FULL':
      return new StoreOpenError(file, `no space left on its disk (${systemCause(error)}); free space and start again`, error);
    default:
      return new StoreOpenError(
        file,
        `${systemCause(error)}; check that the file and its directory are readable and writable and the disk is mounted read-write`,
        error,
      );
  }
}

/** Column order of every event row read back (`raw` mode). */
export const EVENT_COLUMNS = 'position, stream, revision, event_id, type, is_json, data, metadata, created';

export type EventRow = [
  position: bigint,
  stream: string,
  revision: bigint,
  eventId: string,
  type: string,
  isJson: bigint,
  data: Buffer,
  metadata: Buffer,
  created: bigint,
];
