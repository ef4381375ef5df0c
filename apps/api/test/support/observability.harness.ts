// What an operator's tools read: the api's log lines (as a log shipper would, one JSON
// object per line) and Prometheus text (as a scraper would).

/** A pino destination that keeps every line written, for a test to read. */
export class LogCapture {
  readonly lines: string[] = [];

  write(chunk: string): void {
    for (const line of chunk.split('\n')) if (line !== '') this.lines.push(line);
  }

  /** The first line (parsed) that `matches`, waiting for it up to `timeoutMs`: a request's line is written after its answer. */
  async waitFor(matches: (entry: Record<string, unknown>) => boolean, timeoutMs = 5_000): Promise<Record<string, unknown>> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.lines.map((line) => JSON.parse(line) as Record<string, unknown>).find(matches);
      if (found !== undefined) return found;
      if (Date.now() > deadline) throw new Error(`no log line matched among ${this.lines.length}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }
}

/**
 * The sum of the samples of `name` whose labels include `labels` (0 when there is none),
 * read from Prometheus text exposition.
 */
export function sampleOf(text: string, name: string, labels: Readonly<Record<string, string>> = {}): number {
  let sum = 0;
  for (const line of text.split('\n')) {
    if (line.startsWith('#') || line === '') continue;
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)/.exec(line);
    if (match === null || match[1] !== name) continue;
    const found = parseLabels(match[2] ?? '');
    if (Object.entries(labels).every(([key, value]) => found[key] === value)) sum += Number(match[3]);
  }
  return sum;
}

function parseLabels(text: string): Record<string, string> {
  const labels: Record<string, string> = {};
  for (const [, key, value] of text.matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)) labels[key!] = value!;
  return labels;
}
