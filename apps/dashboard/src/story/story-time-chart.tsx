import type { ReactNode } from 'react';
import type { TimelineEntry } from '../api/read-shapes';

const WIDTH = 720;
const HEIGHT = 340;
const MARGIN = { top: 20, right: 250, bottom: 48, left: 92 };
const LABEL_SUBJECT_CHARS = 24;
const LABEL_GAP = 15;

const SHORT_TYPE: Record<string, string> = {
  ReportPublished: 'report',
  SourceCited: 'source',
  CompanyDenied: 'denial',
  CompanyConfirmed: 'confirmation',
  ReportCorrected: 'correction',
  ReportRetracted: 'retraction',
};

interface Mark {
  readonly entry: TimelineEntry;
  readonly happened: number;
  /** A citation carries no world time: it is drawn at the time of the event recorded before it. */
  readonly borrowed: boolean;
  readonly recorded: number;
}

function marksOf(events: readonly TimelineEntry[]): readonly Mark[] {
  let previous: number | undefined;
  const marks: Mark[] = [];
  for (const entry of events) {
    const own = entry.happenedAt === null ? Number.NaN : Date.parse(entry.happenedAt);
    const happened = Number.isNaN(own) ? previous : own;
    if (!Number.isNaN(own)) previous = own;
    if (happened === undefined) continue;
    marks.push({ entry, happened, borrowed: Number.isNaN(own), recorded: Date.parse(entry.recordedAt) });
  }
  return marks;
}

function scale(values: readonly number[], from: number, to: number): (value: number) => number {
  let min = Math.min(...values);
  let max = Math.max(...values);
  if (max - min < 1_000) {
    min -= 30_000;
    max += 30_000;
  }
  return (value) => from + ((value - min) / (max - min)) * (to - from);
}

const tickFormat = new Intl.DateTimeFormat('en-GB', { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', second: '2-digit', timeZone: 'UTC' });
const tick = (ms: number): string => tickFormat.format(new Date(ms));

const shortened = (text: string): string => (text.length <= LABEL_SUBJECT_CHARS ? text : `${text.slice(0, LABEL_SUBJECT_CHARS - 1)}…`);

function lateness(mark: Mark): string {
  const hours = (mark.recorded - mark.happened) / 3_600_000;
  if (hours < 0) return 'recorded before it happened';
  if (hours < 1) return `recorded ${Math.round(hours * 60)} min after it happened`;
  if (hours < 48) return `recorded ${hours.toFixed(1)} h after it happened`;
  return `recorded ${Math.round(hours / 24)} days after it happened`;
}

/**
 * The story over time: world time (when it happened) across, recorded time (when the desk
 * learned it) upwards, one mark per event. Labels stand in a column on the right, joined to
 * their marks, so events recorded moments apart stay readable.
 */
export function StoryTimeChart({ events }: { events: readonly TimelineEntry[] }): ReactNode {
  const marks = marksOf(events);
  if (marks.length === 0) return <p>No event of this story has a time yet.</p>;
  const plotRight = WIDTH - MARGIN.right;
  const plotBottom = HEIGHT - MARGIN.bottom;
  const x = scale(
    marks.map((mark) => mark.happened),
    MARGIN.left,
    plotRight,
  );
  const y = scale(
    marks.map((mark) => mark.recorded),
    plotBottom,
    MARGIN.top,
  );
  const happened = marks.map((mark) => mark.happened);
  const recorded = marks.map((mark) => mark.recorded);
  // Labels ordered as their marks stand (top first), pushed apart to be legible.
  const order = marks.map((mark, index) => ({ index, at: y(mark.recorded) })).sort((a, b) => a.at - b.at || a.index - b.index);
  const labelY = new Map<number, number>();
  let last = -Infinity;
  for (const { index, at } of order) {
    last = Math.max(at, last + LABEL_GAP);
    labelY.set(index, last);
  }
  const overflow = Math.max(0, last - (HEIGHT - 6));
  const height = HEIGHT + overflow;
  const first = marks[0]!;
  const lastMark = marks.at(-1)!;
  return (
    <figure className="time-chart">
      <div className="chart-frame" role="region" aria-label="The picture (scrolls sideways)" tabIndex={0}>
        <svg viewBox={`0 0 ${WIDTH} ${height}`} role="img" aria-labelledby="chart-title chart-desc" width="100%">
          <title id="chart-title">The story over time: when each event happened against when the desk recorded it</title>
          <desc id="chart-desc">
            {`${marks.length} events. World time runs across from ${tick(Math.min(...happened))} to ${tick(Math.max(...happened))} UTC; ` +
              `recorded time runs upwards from ${tick(Math.min(...recorded))} to ${tick(Math.max(...recorded))} UTC. ` +
              `The first, ${SHORT_TYPE[first.entry.type] ?? first.entry.type} by ${first.entry.subject}, ${lateness(first)}; ` +
              `the last, ${SHORT_TYPE[lastMark.entry.type] ?? lastMark.entry.type} by ${lastMark.entry.subject}, ${lateness(lastMark)}.`}
          </desc>
          <line x1={MARGIN.left} y1={plotBottom} x2={plotRight} y2={plotBottom} className="axis" />
          <line x1={MARGIN.left} y1={MARGIN.top} x2={MARGIN.left} y2={plotBottom} className="axis" />
          <text x={MARGIN.left} y={plotBottom + 16} className="tick">
            {tick(Math.min(...happened))}
          </text>
          <text x={plotRight} y={plotBottom + 16} className="tick" textAnchor="end">
            {tick(Math.max(...happened))}
          </text>
          <text x={(MARGIN.left + plotRight) / 2} y={plotBottom + 36} className="axis-label" textAnchor="middle">
            when it happened (UTC) →
          </text>
          <text x={MARGIN.left - 6} y={plotBottom} className="tick" textAnchor="end">
            {tick(Math.min(...recorded)).split(', ')[1]}
          </text>
          <text x={MARGIN.left - 6} y={MARGIN.top + 8} className="tick" textAnchor="end">
            {tick(Math.max(...recorded)).split(', ')[1]}
          </text>
          <text transform={`translate(14 ${(MARGIN.top + plotBottom) / 2}) rotate(-90)`} className="axis-label" textAnchor="middle">
            when we recorded it (UTC) →
          </text>
          {/* Citations first, as rings under the dots of the events they stand with. */}
          {[...marks.entries()]
            .sort(([, a], [, b]) => Number(b.borrowed) - Number(a.borrowed))
            .map(([index, mark]) => {
              const cx = x(mark.happened);
              const cy = y(mark.recorded);
              const ly = labelY.get(index)!;
              const kind = SHORT_TYPE[mark.entry.type] ?? mark.entry.type;
              return (
                <g key={mark.entry.revision} className={`mark mark-${kind}`} data-revision={mark.entry.revision}>
                  <title>{`#${mark.entry.revision} ${kind} (${mark.entry.subject}): happened ${mark.borrowed ? '(no time of its own) ' : ''}${new Date(mark.happened).toISOString()}, ${lateness(mark)}`}</title>
                  <line x1={cx} y1={cy} x2={plotRight + 8} y2={ly} className="leader" />
                  {mark.borrowed ? <circle cx={cx} cy={cy} r={9} className="dot hollow" /> : <circle cx={cx} cy={cy} r={5} className="dot" />}
                  <text x={plotRight + 12} y={ly + 4} className="mark-label">
                    {`#${mark.entry.revision} ${kind} · ${shortened(mark.entry.subject)}`}
                  </text>
                </g>
              );
            })}
        </svg>
      </div>
      <figcaption>
        Each dot is one event: across, when it happened in the world; upwards, when the desk recorded it. A ring is a citation, which has no time of its own and
        stands at the time of the event recorded before it. Hover a dot for its times.
      </figcaption>
    </figure>
  );
}
