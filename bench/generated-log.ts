import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import type { StoryEvent } from '@newsroom/domain';
import { EventStoreAdapter, type WriteContext } from '@newsroom/event-store';
import { generateNewsroomLog } from '@newsroom/projections';

/**
 * A generated newsroom log in a durable store's data directory, written once and kept for
 * later runs of the benchmarks that read it (bench:projections, bench:dashboard): writing
 * a million events takes minutes on this machine, reading them back is what is measured.
 */
export interface GeneratedLog {
  readonly events: number;
  readonly stories: number;
  readonly seed: number;
}

/** Events generated before they are grouped by story and appended. */
const CHUNK_EVENTS = 500_000;
/** Appends in flight at once while writing the log. */
const WRITERS = 128;
/** Per append while writing the log. */
const APPEND_DEADLINE_MS = 120_000;
/** Written last in the data directory: one without it holds a log whose writing was interrupted. */
const MARKER_FILE = 'bench-log.json';

const n = (value: number): string => Math.round(value).toLocaleString('en-US');

/** Where the log of these parameters is kept under `parent`; the store's files are in its `store` folder. */
export function generatedLogDir(parent: string, log: GeneratedLog): string {
  return path.join(parent, `newsroom-bench-projections-${log.events}-${log.stories}-${log.seed}`);
}

/** Whether `dir` holds the whole log of these parameters. */
export function holdsGeneratedLog(dir: string, log: GeneratedLog): boolean {
  const marker = path.join(dir, MARKER_FILE);
  if (!existsSync(marker)) return false;
  const kept = JSON.parse(readFileSync(marker, 'utf8')) as GeneratedLog;
  return kept.events === log.events && kept.stories === log.stories && kept.seed === log.seed;
}

/** Empties `dir` for a new log. */
export function clearGeneratedLog(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
}

/**
 * Writes the generated log to the store at `connectionString`: each chunk grouped by story
 * (order within a story kept), one append per story, many appends in flight; then marks `dir`
 * as holding it. Resolves with the events written per second.
 */
export async function writeGeneratedLog(connectionString: string, dir: string, log: GeneratedLog, step: (text: string) => void): Promise<number> {
  // 128 appends queue at the store at once, and a busy shared machine stretches the queue
  // past the client's 10 s default deadline: an append that times out would stop the writing.
  const adapter = EventStoreAdapter.connect(connectionString, { deadline: APPEND_DEADLINE_MS });
  const context: WriteContext = { correlationId: 'bench-projections', causationId: 'bench-projections', recordedBy: 'bench-writer', tool: 'bench:projections' };
  const started = performance.now();
  let written = 0;
  try {
    const chunk = new Map<string, StoryEvent[]>();
    let inChunk = 0;
    const flush = async (): Promise<void> => {
      const appends = [...chunk.entries()];
      chunk.clear();
      inChunk = 0;
      let next = 0;
      const writer = async (): Promise<void> => {
        while (next < appends.length) {
          const [storyId, events] = appends[next]!;
          next += 1;
          await adapter.appendToStory(storyId, events, 'any', context);
          written += events.length;
        }
      };
      await Promise.all(Array.from({ length: WRITERS }, writer));
      const seconds = (performance.now() - started) / 1000;
      step(`wrote ${n(written)} of ${n(log.events)} events (${n(written / seconds)} events/s)`);
    };
    for (const { storyId, event } of generateNewsroomLog(log)) {
      let events = chunk.get(storyId);
      if (events === undefined) chunk.set(storyId, (events = []));
      events.push(event);
      inChunk += 1;
      if (inChunk === CHUNK_EVENTS) await flush();
    }
    if (inChunk > 0) await flush();
  } finally {
    await adapter.close();
  }
  writeFileSync(path.join(dir, MARKER_FILE), `${JSON.stringify({ events: log.events, stories: log.stories, seed: log.seed })}\n`);
  return log.events / ((performance.now() - started) / 1000);
}
