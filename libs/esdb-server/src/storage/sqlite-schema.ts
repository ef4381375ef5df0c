/**
 * The SQLite file: one `events` table that is the log itself. Position is the rowid, so `$all`
 * is the table in rowid order and a stream is an index range. Nothing else is stored: every
 * in-memory index of the engine is rebuilt from this table on open.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import Database from 'better-sqlite3';

const SCHEMA_VERSION = 1;

export const STORE_FILE_NAME = 'store.sqlite';

export function databaseFile(dataDir: string): string {
  return path.join(dataDir, STORE_FILE_NAME);
}

export function openDatabase(options: { dataDir?: string; memory?: boolean }): Database.Database {
  let file = ':memory:';
  if (!options.memory) {
    if (options.dataDir === undefined) throw new Error('openSqliteEngine needs a dataDir unless memory is set');
    fs.mkdirSync(options.dataDir, { recursive: true });
    file = databaseFile(options.dataDir);
  }
  const db = new Database(file);
  try {
    configure(db);
  } catch (error) {
    db.close();
    if ((error as { code?: unknown }).code === 'SQLITE_BUSY') {
      throw new Error(`The store in ${options.dataDir} is open in another process`, { cause: error });
    }
    throw error;
  }
  return db;
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
  migrate(db);
}

function migrate(db: Database.Database): void {
  const version = db.pragma('user_version', { simple: true }) as number;
  if (version === SCHEMA_VERSION) return;
  if (version !== 0) throw new Error(`Unknown store schema version ${version}`);
  db.exec(`
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
    PRAGMA user_version = ${SCHEMA_VERSION};
  `);
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
