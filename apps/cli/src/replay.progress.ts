import { SingleBar } from 'cli-progress';
import type { ReplayProgress } from './replay.runner';

/** Steps of the bar: positions are up to 2^64, so the bar counts thousandths of the way. */
const STEPS = 1000;

export interface ReplayProgressBar {
  update(progress: ReplayProgress): void;
  stop(): void;
}

/**
 * The replay's progress on stderr: how far the last applied commit position is between
 * `from` (where the log starts, 0) and `to` (where the replay stops), events applied and
 * events/s. cli-progress draws only on a terminal, so piped output stays clean.
 */
export function replayProgressBar(to: bigint | undefined, stream: NodeJS.WriteStream = process.stderr): ReplayProgressBar {
  const bar = new SingleBar({
    stream,
    format: 'replay |{bar}| {percentage}% | {events} events | {speed} events/s | ETA {eta_formatted}',
    barCompleteChar: '\u2588',
    barIncompleteChar: '\u2591',
    hideCursor: true,
    clearOnComplete: false,
    etaBuffer: 50,
    fps: 10,
  });
  bar.start(STEPS, 0, { events: '0', speed: '0' });
  return {
    update({ events, position, elapsedMs }) {
      const steps = to === undefined || to <= 0n ? 0 : Number((position * BigInt(STEPS)) / to);
      bar.update(Math.min(STEPS, Math.max(0, steps)), {
        events: events.toLocaleString('en-US'),
        speed: elapsedMs > 0 ? Math.round(events / (elapsedMs / 1000)).toLocaleString('en-US') : '0',
      });
    },
    stop() {
      bar.update(STEPS);
      bar.stop();
    },
  };
}
