/**
 * How many streams each holder (a token) may keep open at once. A stream holds a socket
 * and a place in every fan-out until it closes, so one runaway tool must not open them
 * without bound.
 */
export class StreamQuota {
  private readonly open = new Map<string, number>();

  constructor(readonly limit: number) {}

  /** A release for one more stream of `holder`, or undefined when it holds `limit` already. */
  acquire(holder: string): (() => void) | undefined {
    const count = this.open.get(holder) ?? 0;
    if (count >= this.limit) return undefined;
    this.open.set(holder, count + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const left = (this.open.get(holder) ?? 1) - 1;
      if (left === 0) this.open.delete(holder);
      else this.open.set(holder, left);
    };
  }

  held(holder: string): number {
    return this.open.get(holder) ?? 0;
  }
}
