import type { StoryEvent } from '@newsroom/domain';

/** One generated event and the story it is posted to. */
export interface GeneratedStoryEvent {
  readonly storyId: string;
  readonly event: StoryEvent;
}

export interface NewsroomLogOptions {
  /** Events to generate (default 1,000,000). */
  readonly events?: number;
  /** Stories they spread over (default 100,000). */
  readonly stories?: number;
  /** Seed of the pseudo-random sequence: the same seed gives the same log. */
  readonly seed?: number;
}

const OUTLETS = ['Financial Times', 'Contoh Berita', 'Example Wire', 'Daily Planet', 'Le Quotidien', 'Der Bote', 'El Diario', 'Asahi Example'];
const LANGUAGES = ['en', 'id', 'en', 'en', 'fr', 'de', 'es', 'ja'];
const KINDS = ['anonymous', 'named', 'document', 'statement'] as const;
const COMPANIES = 2_000;

/** mulberry32: a tiny seeded generator, so benchmarks and tests replay the same log. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface GeneratedStory {
  reports: number;
  readonly live: number[];
  sources: number;
  readonly subjects: readonly [string, string];
  readonly claims: string[];
}

/**
 * A deterministic newsroom log that the domain's rules accept, in posting
 * order: each story opens with a report; follow-ups repeat its claims in
 * another language; sources, denials, confirmations, corrections and
 * retractions name only what exists and is not retracted. For benchmarks
 * (replay speed, memory) and large tests; a benchmark of memory should pass
 * the events through JSON, as the store does, so no string is shared by accident.
 */
export function* generateNewsroomLog(options: NewsroomLogOptions = {}): Generator<GeneratedStoryEvent> {
  const total = options.events ?? 1_000_000;
  const storyCount = options.stories ?? 100_000;
  const next = random(options.seed ?? 20250106);
  const pick = (n: number): number => Math.floor(next() * n);
  const stories: (GeneratedStory | undefined)[] = new Array(storyCount);
  const day = Date.parse('2025-01-01T00:00:00Z');
  const time = (i: number): string => new Date(day + i * 60_000).toISOString();

  for (let i = 0; i < total; i += 1) {
    const index = pick(storyCount);
    const storyId = `story-${index}`;
    const story = stories[index];
    const roll = next();
    if (!story || story.live.length === 0 || roll < 0.12) {
      const created: GeneratedStory = story ?? {
        reports: 0,
        live: [],
        sources: 0,
        subjects: [`company-${pick(COMPANIES)}`, `company-${pick(COMPANIES)}`],
        claims: [],
      };
      stories[index] = created;
      const reportNo = created.reports;
      created.reports += 1;
      created.live.push(reportNo);
      const outlet = pick(OUTLETS.length);
      if (created.claims.length === 0) created.claims.push(`${storyId}-claim-0`, `${storyId}-claim-1`);
      const [first, second] = created.subjects;
      yield {
        storyId,
        event: {
          type: 'ReportPublished',
          data: {
            reportId: `${storyId}-report-${reportNo}`,
            outlet: OUTLETS[outlet],
            headline: `Story ${index}: ${first} and ${second} in talks (report ${reportNo})`,
            ...(reportNo % 2 === 0 && { url: `https://news.example/${storyId}/${reportNo}` }),
            language: LANGUAGES[outlet],
            publishedAt: time(i),
            claims: [
              { claimId: created.claims[0], statement: `${first} and ${second} discussed a joint venture.`, about: [first, second] },
              { claimId: created.claims[1], statement: `${first} plans a plant abroad.`, about: [first] },
            ],
            ...(reportNo > 0 && { followsReportId: `${storyId}-report-0` }),
          },
        },
      };
      continue;
    }
    const claimId = story.claims[pick(story.claims.length)];
    const company = claimId.endsWith('-0') ? story.subjects[pick(2)] : story.subjects[0];
    if (roll < 0.5) {
      const sourceNo = story.sources;
      story.sources += 1;
      yield {
        storyId,
        event: {
          type: 'SourceCited',
          data: {
            reportId: `${storyId}-report-${story.live[pick(story.live.length)]}`,
            sourceId: `${storyId}-source-${sourceNo}`,
            kind: KINDS[pick(KINDS.length)],
            description: `People familiar with the matter (${sourceNo})`,
            count: 1 + pick(4),
            supports: [claimId],
          },
        },
      };
    } else if (roll < 0.72) {
      yield {
        storyId,
        event: {
          type: 'CompanyDenied',
          data: {
            companyId: company,
            companyName: company.toUpperCase(),
            statement: `${company} says the report about it is incorrect.`,
            language: 'en',
            deniedAt: time(i),
            refutes: [claimId],
          },
        },
      };
    } else if (roll < 0.84) {
      yield {
        storyId,
        event: {
          type: 'CompanyConfirmed',
          data: {
            companyId: company,
            companyName: company.toUpperCase(),
            statement: `${company} confirms it is in talks.`,
            language: 'en',
            confirmedAt: time(i),
            confirms: [claimId],
          },
        },
      };
    } else if (roll < 0.96) {
      yield {
        storyId,
        event: {
          type: 'ReportCorrected',
          data: {
            reportId: `${storyId}-report-${story.live[pick(story.live.length)]}`,
            correction: `An earlier version misstated a date (${i}).`,
            correctedAt: time(i),
          },
        },
      };
    } else {
      const [reportNo] = story.live.splice(pick(story.live.length), 1);
      yield {
        storyId,
        event: {
          type: 'ReportRetracted',
          data: { reportId: `${storyId}-report-${reportNo}`, reason: `The sources did not hold up (${i}).`, retractedAt: time(i) },
        },
      };
    }
  }
}
