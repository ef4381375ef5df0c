import { CoalescingWriter, type CoalescingWriterOptions, type FrameSink } from './coalescing-writer';

/** A stream that keeps what it was sent, with as many unread bytes as a test says. */
class Sink implements FrameSink {
  readonly writes: Buffer[] = [];
  queuedBytes = 0;

  write(bytes: Buffer): void {
    this.writes.push(bytes);
  }

  get text(): string {
    return Buffer.concat(this.writes).toString();
  }
}

const frame = (text: string) => Buffer.from(`${text}\n\n`);

describe('CoalescingWriter', () => {
  let writer: CoalescingWriter<Sink>;
  const overflowed: Sink[] = [];
  let beats = 0;

  function start(options: Partial<CoalescingWriterOptions<Sink>> = {}): CoalescingWriter<Sink> {
    writer = new CoalescingWriter<Sink>({
      flushMs: 5,
      writesPerSecond: 1_000_000,
      flushBytes: 1_000,
      maxQueuedBytes: 10_000,
      heartbeatMs: 15_000,
      onOverflow: (sink) => {
        overflowed.push(sink);
        writer.remove(sink, undefined);
      },
      heartbeat: () => {
        beats += 1;
        return Buffer.from(`: heartbeat ${beats}\n\n`);
      },
      ...options,
    });
    return writer;
  }

  beforeEach(() => {
    jest.useFakeTimers();
    overflowed.length = 0;
    beats = 0;
  });
  afterEach(() => {
    writer.close();
    jest.useRealTimers();
  });

  it('given frames published within the interval, then each stream receives them in one write, in order, once the interval ends', () => {
    start();
    const a = new Sink();
    const b = new Sink();
    writer.add(a, undefined);
    writer.add(b, undefined);

    writer.publish('s1', frame('one'));
    writer.publish('s2', frame('two'));
    writer.publish('s1', frame('three'));
    expect(a.writes).toHaveLength(0);

    jest.advanceTimersByTime(5);
    expect(a.writes).toHaveLength(1);
    expect(a.text).toBe('one\n\ntwo\n\nthree\n\n');
    // The very same bytes, joined once, for every stream.
    expect(b.writes[0]).toBe(a.writes[0]);
    expect(writer.flushes).toBe(1);
  });

  it('given more pending bytes than the bound, then they are written at once, without waiting for the interval', () => {
    start({ flushBytes: 20 });
    const sink = new Sink();
    writer.add(sink, undefined);

    writer.publish('s1', frame('0123456789'));
    expect(sink.writes).toHaveLength(0);
    writer.publish('s1', frame('abcdefghij'));
    expect(sink.text).toBe('0123456789\n\nabcdefghij\n\n');

    jest.advanceTimersByTime(5);
    expect(sink.writes).toHaveLength(1); // nothing left for the timer
  });

  it('given followers of one story, then a change of another story touches none of them', () => {
    start();
    const everything = new Sink();
    const followerOfS1 = new Sink();
    const followerOfS2 = new Sink();
    writer.add(everything, undefined);
    writer.add(followerOfS1, 's1');
    writer.add(followerOfS2, 's2');

    writer.publish('s1', frame('s1-a'));
    writer.publish('s3', frame('s3-a'));
    writer.publish('s1', frame('s1-b'));
    jest.advanceTimersByTime(5);

    expect(everything.text).toBe('s1-a\n\ns3-a\n\ns1-b\n\n');
    expect(followerOfS1.text).toBe('s1-a\n\ns1-b\n\n');
    expect(followerOfS2.writes).toHaveLength(0);
  });

  it('given no stream wants a story, then its change is not kept and no flush happens', () => {
    start();
    writer.add(new Sink(), 's1');
    writer.publish('s2', frame('nobody'));
    jest.advanceTimersByTime(50);
    expect(writer.flushes).toBe(0);
  });

  it('a removed stream receives nothing more', () => {
    start();
    const gone = new Sink();
    const follower = new Sink();
    writer.add(gone, undefined);
    writer.add(follower, 's1');
    writer.remove(gone, undefined);
    writer.remove(follower, 's1');
    writer.publish('s1', frame('late'));
    jest.advanceTimersByTime(5);
    expect(gone.writes).toHaveLength(0);
    expect(follower.writes).toHaveLength(0);
    expect(writer.size).toBe(0);
  });

  it('sends one heartbeat, built once per beat, to every stream (followers included)', () => {
    start({ heartbeatMs: 1_000 });
    const sinks = [new Sink(), new Sink(), new Sink()];
    writer.add(sinks[0]!, undefined);
    writer.add(sinks[1]!, 's1');
    writer.add(sinks[2]!, 's2');

    jest.advanceTimersByTime(1_000);
    expect(beats).toBe(1);
    for (const sink of sinks) expect(sink.text).toBe(': heartbeat 1\n\n');
    expect(sinks[1]!.writes[0]).toBe(sinks[0]!.writes[0]);

    jest.advanceTimersByTime(1_000);
    expect(beats).toBe(2);
  });

  it('given a stream still holding more unread bytes than allowed when more is due, then it is handed to onOverflow and written to no more', () => {
    start({ maxQueuedBytes: 100 });
    const slow = new Sink();
    const fast = new Sink();
    writer.add(slow, undefined);
    writer.add(fast, undefined);

    writer.publish('s1', frame('first'));
    jest.advanceTimersByTime(5);
    expect(overflowed).toEqual([]);

    slow.queuedBytes = 101;
    writer.publish('s1', frame('second'));
    jest.advanceTimersByTime(5);
    expect(overflowed).toEqual([slow]);

    writer.publish('s1', frame('third'));
    jest.advanceTimersByTime(5);
    expect(slow.writes).toHaveLength(1);
    expect(fast.text).toBe('first\n\nsecond\n\nthird\n\n');
  });

  it('given a flush larger than the limit, then a stream that has taken it by the next flush is not reset', () => {
    start({ maxQueuedBytes: 10 });
    const reader = new Sink();
    writer.add(reader, undefined);
    writer.publish('s1', frame('a frame longer than the limit'));
    jest.advanceTimersByTime(5);
    reader.queuedBytes = 0; // it read them
    writer.publish('s1', frame('next'));
    jest.advanceTimersByTime(5);
    expect(overflowed).toEqual([]);
    expect(reader.writes).toHaveLength(2);
  });

  it('given more sinks than the write budget allows at the shortest interval, then the interval stretches with their number', () => {
    start({ flushMs: 5, writesPerSecond: 10_000 });
    const sinks = Array.from({ length: 200 }, () => new Sink());
    sinks.forEach((sink, i) => writer.add(sink, i % 2 === 0 ? undefined : `s${i}`));
    expect(writer.interval()).toBe(20); // 200 sinks at 10,000 writes a second

    writer.publish('s1', frame('one'));
    jest.advanceTimersByTime(19);
    expect(sinks[0]!.writes).toHaveLength(0);
    jest.advanceTimersByTime(1);
    expect(sinks[0]!.text).toBe('one\n\n');
    expect(sinks[1]!.text).toBe('one\n\n');

    sinks.slice(0, 190).forEach((sink, i) => writer.remove(sink, i % 2 === 0 ? undefined : `s${i}`));
    expect(writer.interval()).toBe(5);
  });

  it('flush() writes what is pending at once (before a new stream gets its first frames)', () => {
    start();
    const sink = new Sink();
    writer.add(sink, undefined);
    writer.publish('s1', frame('pending'));
    writer.flush();
    expect(sink.text).toBe('pending\n\n');
    jest.advanceTimersByTime(5);
    expect(sink.writes).toHaveLength(1);
  });
});
