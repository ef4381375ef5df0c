/** Where the writer sends bytes: one open stream. */
export interface FrameSink {
  /** Bytes written but not yet taken by the peer (the response's and its socket's buffers). */
  readonly queuedBytes: number;
  write(bytes: Buffer): void;
}

export interface CoalescingWriterOptions<S extends FrameSink = FrameSink> {
  /** Longest a frame waits for others before it is written, with few sinks. */
  readonly flushMs: number;
  /**
   * Writes a second the flushes may cost at most: with many sinks the interval stretches to
   * `sinks / writesPerSecond` (1,000 sinks at 20,000 writes/s: 50 ms), since each write costs
   * the kernel about the same whatever it carries.
   */
  readonly writesPerSecond: number;
  /** Frames pending past this many bytes are written at once, not at the interval. */
  readonly flushBytes: number;
  /** A sink still holding more than this many unread bytes when more is due is handed to `onOverflow`. */
  readonly maxQueuedBytes: number;
  /** One comment to every sink at this period, so proxies keep idle streams open. */
  readonly heartbeatMs: number;
  /** The sink is no longer written to; the owner resets and closes it. */
  readonly onOverflow: (sink: S) => void;
  /** The heartbeat's bytes, built once per beat for every sink. */
  readonly heartbeat?: () => Buffer;
}

/**
 * Fans frames out to many streams at the cost of one write per stream per flush.
 *
 * A frame is published once, as bytes, with the story it is about. Frames wait for the
 * flush interval (or the byte bound); a flush then joins them once per audience (the
 * sinks that take every story, and the followers of each story that changed) and writes
 * those same bytes to every sink of that audience. Under a burst a client therefore costs
 * one write per flush, not one per event, and a change of one story touches only the
 * sinks that want it. The cost per write is mostly the kernel's (about 10 to 15 µs on
 * loopback here), which is why the writes, not the events, are what is counted, and why
 * the interval stretches with the number of sinks (`writesPerSecond`).
 */
export class CoalescingWriter<S extends FrameSink = FrameSink> {
  private readonly everything = new Set<S>();
  private readonly followers = new Map<string, Set<S>>();
  private pending: Buffer[] = [];
  private pendingByStory = new Map<string, Buffer[]>();
  private pendingBytes = 0;
  /** Sinks in `followers`, all stories together. */
  private following = 0;
  private flushTimer: NodeJS.Timeout | undefined;
  private readonly heartbeatTimer: NodeJS.Timeout;
  /** Flushes so far (what a burst costs each sink). */
  flushes = 0;

  constructor(private readonly options: CoalescingWriterOptions<S>) {
    this.heartbeatTimer = setInterval(() => this.beat(), options.heartbeatMs);
    this.heartbeatTimer.unref();
  }

  /** Sinks written to: every story's, and each story's followers. */
  get size(): number {
    return this.everything.size + this.following;
  }

  /** The flush interval for as many sinks as there are now. */
  interval(): number {
    return Math.max(this.options.flushMs, (this.size * 1000) / this.options.writesPerSecond);
  }

  /** `storyId` undefined: the sink takes every story. */
  add(sink: S, storyId: string | undefined): void {
    if (storyId === undefined) {
      this.everything.add(sink);
      return;
    }
    const sinks = this.followers.get(storyId);
    if (sinks === undefined) this.followers.set(storyId, new Set([sink]));
    else if (sinks.has(sink)) return;
    else sinks.add(sink);
    this.following += 1;
  }

  remove(sink: S, storyId: string | undefined): void {
    if (storyId === undefined) {
      this.everything.delete(sink);
      return;
    }
    const sinks = this.followers.get(storyId);
    if (sinks === undefined || !sinks.delete(sink)) return;
    this.following -= 1;
    if (sinks.size === 0) this.followers.delete(storyId);
  }

  /** Queues one change's frame for the sinks that want `storyId`; nothing is kept when none does. */
  publish(storyId: string, frame: Buffer): void {
    let wanted = false;
    if (this.everything.size > 0) {
      this.pending.push(frame);
      wanted = true;
    }
    if (this.followers.has(storyId)) {
      const frames = this.pendingByStory.get(storyId);
      if (frames === undefined) this.pendingByStory.set(storyId, [frame]);
      else frames.push(frame);
      wanted = true;
    }
    if (!wanted) return;
    this.pendingBytes += frame.length;
    if (this.pendingBytes >= this.options.flushBytes) this.flush();
    else this.flushTimer ??= setTimeout(() => this.flush(), this.interval());
  }

  /** Writes what is pending now (also before a new sink is sent its first frames, so none arrives twice). */
  flush(): void {
    if (this.flushTimer !== undefined) {
      clearTimeout(this.flushTimer);
      this.flushTimer = undefined;
    }
    if (this.pendingBytes === 0) return;
    const pending = this.pending;
    const byStory = this.pendingByStory;
    this.pending = [];
    this.pendingByStory = new Map();
    this.pendingBytes = 0;
    this.flushes += 1;
    if (pending.length > 0) this.writeAll(this.everything, join(pending));
    for (const [storyId, frames] of byStory) {
      const sinks = this.followers.get(storyId);
      if (sinks !== undefined) this.writeAll(sinks, join(frames));
    }
  }

  /** Stops the timers; what is pending is dropped (the streams are closing). */
  close(): void {
    clearInterval(this.heartbeatTimer);
    if (this.flushTimer !== undefined) clearTimeout(this.flushTimer);
    this.flushTimer = undefined;
    this.pending = [];
    this.pendingByStory = new Map();
    this.pendingBytes = 0;
  }

  private beat(): void {
    const bytes = (this.options.heartbeat ?? defaultHeartbeat)();
    this.writeAll(this.everything, bytes);
    for (const sinks of this.followers.values()) this.writeAll(sinks, bytes);
  }

  private writeAll(sinks: ReadonlySet<S>, bytes: Buffer): void {
    // Checked before writing: a fast reader may hold one large flush for a moment, a slow
    // one still holds its earlier ones. A sink that overflows is removed by its owner
    // during the loop: a Set allows that.
    for (const sink of sinks) {
      if (sink.queuedBytes > this.options.maxQueuedBytes) this.options.onOverflow(sink);
      else sink.write(bytes);
    }
  }
}

function join(frames: Buffer[]): Buffer {
  return frames.length === 1 ? frames[0]! : Buffer.concat(frames);
}

function defaultHeartbeat(): Buffer {
  return Buffer.from(`: heartbeat ${new Date().toISOString()}\n\n`);
}
