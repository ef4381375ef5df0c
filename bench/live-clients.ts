import { type Socket, connect } from 'node:net';
import { monitorEventLoopDelay } from 'node:perf_hooks';

/**
 * The SSE clients of `npm run bench:live`, in a process of their own so that reading
 * a thousand streams does not share the loop that loads the intake. Driven by the
 * bench over IPC (`open`, `zero`, `stats`, `close`).
 *
 * Each client is a raw socket that sends one `GET /stream` and reads cheaply: into one
 * shared buffer, counting `event: story` frames (a search of the bytes, across read
 * boundaries) and checking nothing else. A few of them, the probes, also parse every frame's id (to check order)
 * and the send time the bench put in the story's headline (`bench t=<ms>`), for the
 * post-to-delivery latency. Every time is `Date.now()` of a process on this one machine
 * (the api's `recordedAt` too): the same system clock, to the millisecond. (Monotonic
 * clocks are not comparable across processes, and drift from it over minutes.)
 */

export type ClientsCommand =
  | { readonly cmd: 'open'; readonly url: string; readonly token: string; readonly count: number; readonly probes: number }
  | { readonly cmd: 'zero' }
  | { readonly cmd: 'stats' }
  | { readonly cmd: 'close' };

export interface ClientsStats {
  readonly open: number;
  /** Story frames received by all clients since `zero`. */
  readonly deliveries: number;
  /** Streams the api ended or reset since they opened. */
  readonly ended: number;
  readonly resets: number;
  /** Post-to-delivery latencies of the probes since `zero`, ms, sorted. */
  readonly latencies: { readonly count: number; readonly p50: number; readonly p99: number; readonly max: number };
  /** The same from the event's `recordedAt` (stamped by the api's append thread, ms resolution) to delivery. */
  readonly sinceRecorded: { readonly count: number; readonly p50: number; readonly p99: number; readonly max: number };
  /** Frames a probe received out of order (position.revision not increasing). */
  readonly outOfOrder: number;
  /** CPU this process used since `zero`, µs. */
  readonly cpuMicros: number;
  /**
   * How late this process's loop ran since `zero` (p99, ms): when it is late, the frames
   * wait in its sockets, and the latencies above are partly its own.
   */
  readonly loopDelayP99: number;
}

const STORY = Buffer.from('event: story\n');
const RESET = Buffer.from('event: reset\n');
const READY = Buffer.from('event: ready\n');
const SEND_TIME = /"headline":"bench t=(\d+(?:\.\d+)?)/;
const RECORDED_AT = /"recordedAt":"([^"]+)"/;
const ID = /(?:^|\n)id: (\d+)\.(\d+)\n/;

/**
 * Every socket reads into this one buffer (net's `onread`): no allocation per read, and
 * the bytes are looked at before the next read replaces them.
 */
const READ_BUFFER = Buffer.allocUnsafe(256 * 1024);
/** A marker split across two reads lies within this many bytes of their seam. */
const SEAM = STORY.length - 1;

class StreamClient {
  /** The last bytes of the previous read, so that a marker split across two reads is still found. */
  private readonly tail = Buffer.alloc(SEAM);
  private tailLength = 0;
  private text = '';
  private last: { position: bigint; revision: bigint } | undefined;
  ready = false;
  ended = false;
  socket: Socket;

  constructor(
    url: URL,
    token: string,
    private readonly probe: boolean,
    private readonly stats: Counters,
    private readonly onReady: () => void,
  ) {
    this.socket = connect(
      {
        port: Number(url.port),
        host: url.hostname,
        onread: {
          buffer: READ_BUFFER,
          callback: (length: number, buffer: Buffer) => {
            this.take(buffer.subarray(0, length));
            return true;
          },
        },
      },
      () => this.socket.write(`GET /stream HTTP/1.1\r\nHost: ${url.host}\r\nAuthorization: Bearer ${token}\r\nAccept: text/event-stream\r\n\r\n`),
    );
    const end = () => {
      if (this.ended) return;
      this.ended = true;
      this.stats.ended += 1;
    };
    this.socket.on('end', end);
    this.socket.on('close', end);
    this.socket.on('error', () => undefined);
  }

  private take(bytes: Buffer): void {
    if (!this.ready && bytes.includes(READY)) {
      this.ready = true;
      this.onReady();
    }
    if (this.tailLength > 0) {
      // Neither side of the seam alone is long enough to hold a marker: none is counted twice.
      const seam = Buffer.concat([this.tail.subarray(0, this.tailLength), bytes.subarray(0, SEAM)]);
      this.stats.deliveries += count(seam, STORY);
      this.stats.resets += count(seam, RESET);
    }
    this.stats.deliveries += count(bytes, STORY);
    this.stats.resets += count(bytes, RESET);
    this.tailLength = bytes.copy(this.tail, 0, Math.max(0, bytes.length - SEAM));
    if (this.probe) this.parse(bytes.toString('latin1'));
  }

  private parse(text: string): void {
    this.text += text;
    let end: number;
    while ((end = this.text.indexOf('\n\n')) !== -1) {
      const frame = this.text.slice(0, end);
      this.text = this.text.slice(end + 2);
      if (!frame.includes('event: story')) continue;
      const received = Date.now();
      const sent = SEND_TIME.exec(frame);
      if (sent !== null) this.stats.latencies.push(received - Number(sent[1]));
      const recorded = RECORDED_AT.exec(frame);
      if (recorded !== null) this.stats.sinceRecorded.push(received - Date.parse(recorded[1]!));
      const id = ID.exec(frame);
      if (id === null) continue;
      const mark = { position: BigInt(id[1]!), revision: BigInt(id[2]!) };
      const last = this.last;
      if (last !== undefined && !(mark.position > last.position || (mark.position === last.position && mark.revision > last.revision)))
        this.stats.outOfOrder += 1;
      this.last = mark;
    }
  }
}

interface Counters {
  deliveries: number;
  resets: number;
  ended: number;
  outOfOrder: number;
  latencies: number[];
  sinceRecorded: number[];
}

/** Occurrences of `marker` in `bytes`. */
function count(bytes: Buffer, marker: Buffer): number {
  let found = 0;
  let at = bytes.indexOf(marker);
  while (at !== -1) {
    found += 1;
    at = bytes.indexOf(marker, at + marker.length);
  }
  return found;
}

function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

function summary(values: readonly number[]): ClientsStats['latencies'] {
  const sorted = [...values].sort((a, b) => a - b);
  return { count: sorted.length, p50: percentile(sorted, 50), p99: percentile(sorted, 99), max: sorted.at(-1) ?? Number.NaN };
}

const counters: Counters = { deliveries: 0, resets: 0, ended: 0, outOfOrder: 0, latencies: [], sinceRecorded: [] };
let clients: StreamClient[] = [];
let cpuAtZero = process.cpuUsage();
const loopDelay = monitorEventLoopDelay({ resolution: 10 });
loopDelay.enable();

function reply(message: unknown): void {
  process.send!(message);
}

process.on('message', (command: ClientsCommand) => {
  switch (command.cmd) {
    case 'open': {
      const url = new URL(command.url);
      let waiting = command.count;
      const opened = () => {
        waiting -= 1;
        if (waiting === 0) reply({ opened: clients.length });
      };
      // A few hundred connections at a time: the api's accept queue is finite.
      const batch = 200;
      const openFrom = (start: number) => {
        for (let i = start; i < Math.min(command.count, start + batch); i++)
          clients.push(new StreamClient(url, command.token, i < command.probes, counters, opened));
        if (start + batch < command.count) setTimeout(() => openFrom(start + batch), 50);
      };
      openFrom(0);
      return;
    }
    case 'zero':
      counters.deliveries = 0;
      counters.resets = 0;
      counters.outOfOrder = 0;
      counters.latencies = [];
      counters.sinceRecorded = [];
      cpuAtZero = process.cpuUsage();
      loopDelay.reset();
      reply({ zeroed: true });
      return;
    case 'stats': {
      const cpu = process.cpuUsage(cpuAtZero);
      const stats: ClientsStats = {
        open: clients.filter((client) => !client.ended).length,
        deliveries: counters.deliveries,
        ended: counters.ended,
        resets: counters.resets,
        latencies: summary(counters.latencies),
        sinceRecorded: summary(counters.sinceRecorded),
        outOfOrder: counters.outOfOrder,
        cpuMicros: cpu.user + cpu.system,
        loopDelayP99: loopDelay.percentile(99) / 1e6,
      };
      reply(stats);
      return;
    }
    case 'close':
      for (const client of clients) {
        client.ended = true; // closed here, not by the api
        client.socket.destroy();
      }
      clients = [];
      counters.ended = 0;
      reply({ closed: true });
      return;
    default: {
      const _unknown: never = command;
      return _unknown;
    }
  }
});
