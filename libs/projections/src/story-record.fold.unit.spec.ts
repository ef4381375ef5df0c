import { claimStatusInput, claimStatusOf, currentStances, evolve, initialStoryState, type OpenStory, type StoryEvent, utcWorldTime } from '@newsroom/domain';
import { generateNewsroomLog } from './newsroom-log.generator';
import { createNewsroomViews, evolveNewsroomViews } from './newsroom.views';
import { getStoryState, type StoryReadModel } from './story-state.projection';
import { RecordedLog } from './testing/recorded-log.builder';

/** The views show world times in UTC, whole seconds without a fraction (as utcWorldTime writes them). */
const viewStances = (stances: ReturnType<typeof currentStances>) => stances.map((s) => ({ ...s, at: s.at === null ? null : utcWorldTime(s.at) }));

/** What the read shape must say, taken from the domain's own fold of the story (world times in UTC, as views show them). */
function expectedFromDomain(story: OpenStory): Pick<StoryReadModel, 'languages' | 'reports' | 'claims'> {
  return {
    languages: [...story.languages],
    reports: [...story.reports.values()].map((r) => ({
      reportId: r.reportId,
      outlet: r.outlet,
      language: r.language,
      status: r.retracted ? 'retracted' : r.corrections.length > 0 ? 'corrected' : 'published',
      headline: r.headline,
      ...(r.url !== undefined && { url: r.url }),
      publishedAt: utcWorldTime(r.publishedAt),
      ...(r.followsReportId !== undefined && { followsReportId: r.followsReportId }),
      corrections: r.corrections.map((c) => ({ ...c, correctedAt: utcWorldTime(c.correctedAt) })),
      ...(r.retracted && { retraction: { ...r.retracted, retractedAt: utcWorldTime(r.retracted.retractedAt) } }),
    })),
    claims: [...story.claims.values()].map((c) => {
      const sources = { anonymous: 0, named: 0, document: 0, statement: 0 };
      for (const sourceId of c.sourceIds) {
        const source = story.sources.get(sourceId)!;
        sources[source.kind] += source.count;
      }
      const responses = story.responses.filter((r) => r.claimIds.includes(c.claimId));
      const brief = ({ companyId, statement, at }: { companyId: string; statement: string; at: string }) => ({ companyId, statement, at: utcWorldTime(at) });
      return {
        claimId: c.claimId,
        statement: c.statement,
        about: [...c.about],
        status: claimStatusOf(story, c.claimId)!,
        sources,
        denials: responses.filter((r) => r.stance === 'denied').map(brief),
        confirmations: responses.filter((r) => r.stance === 'confirmed').map(brief),
        stances: viewStances(currentStances(claimStatusInput(story, c))),
        language: c.language,
        statements: [...c.statements],
        reportIds: [...c.reportIds],
      };
    }),
  };
}

describe("the views' fold", () => {
  it("given a generated log of every event type over 400 stories, then each story reads as the domain's fold of it says", () => {
    const log = new RecordedLog();
    const byStory = new Map<string, StoryEvent[]>();
    for (const { storyId, event } of generateNewsroomLog({ events: 8_000, stories: 400, seed: 11 })) {
      log.append(storyId, [event]);
      byStory.set(storyId, [...(byStory.get(storyId) ?? []), event]);
    }
    const views = createNewsroomViews();
    for (const event of log.events) evolveNewsroomViews(views, event);

    const statuses = new Set<string>();
    for (const [storyId, events] of byStory) {
      const domain = events.reduce(evolve, initialStoryState);
      if (domain.status !== 'open') throw new Error(`${storyId} did not open`);
      const story = getStoryState(views, storyId)!;
      expect({ languages: story.languages, reports: story.reports, claims: story.claims }).toEqual(expectedFromDomain(domain));
      for (const claim of story.claims) statuses.add(claim.status);
    }
    // The log reaches every status, so every rule was compared.
    expect([...statuses].sort()).toEqual(['confirmed', 'contested', 'denied', 'disputed', 'reported', 'retracted']);
  });

  it('given responses out of world-time order, repeated, unreadable in time or from a non-subject, then each claim has the status the domain derives', () => {
    const report: StoryEvent = {
      type: 'ReportPublished',
      data: {
        reportId: 'r1',
        outlet: 'Example Wire',
        headline: 'Talks',
        language: 'en',
        publishedAt: '2025-03-01T00:00:00.000Z',
        claims: [
          { claimId: 'jv', statement: 'A and B discussed a venture.', about: ['a', 'b', 'a'] },
          { claimId: 'plant', statement: 'A plans a plant.', about: ['a'] },
        ],
      },
    };
    const deny = (companyId: string, deniedAt: string, refutes: string[]): StoryEvent => ({
      type: 'CompanyDenied',
      data: { companyId, companyName: companyId.toUpperCase(), statement: 'No.', language: 'en', deniedAt, refutes },
    });
    const confirm = (companyId: string, confirmedAt: string, confirms: string[]): StoryEvent => ({
      type: 'CompanyConfirmed',
      data: { companyId, companyName: companyId.toUpperCase(), statement: 'Yes.', language: 'en', confirmedAt, confirms },
    });
    const steps: StoryEvent[] = [
      report,
      confirm('a', '2025-06-01T00:00:00.000Z', ['jv', 'plant']),
      // Said earlier in the world, recorded later: A still confirms.
      deny('a', '2025-03-05T00:00:00.000Z', ['jv', 'plant']),
      deny('b', '2025-03-06T00:00:00.000Z', ['jv']),
      // Not a subject of either claim: no effect.
      confirm('c', '2025-07-01T00:00:00.000Z', ['jv']),
      // An unreadable time replaces whatever was known.
      deny('a', 'sometime in spring', ['jv', 'jv']),
      confirm('b', '2025-06-02T00:00:00Z', ['jv']),
      deny('b', '2025-06-02T00:00:00.000Z', ['jv']),
      confirm('a', '2025-01-01T00:00:00.000Z', ['plant']),
    ];
    const log = new RecordedLog();
    const views = createNewsroomViews();
    let domain = initialStoryState;
    const seen: string[] = [];
    for (const step of steps) {
      for (const event of log.append('s', [step])) evolveNewsroomViews(views, event);
      domain = evolve(domain, step);
      const story = domain as OpenStory;
      const claims = getStoryState(views, 's')!.claims;
      expect(claims.map((c) => c.status)).toEqual(claims.map((c) => claimStatusOf(story, c.claimId)));
      expect(claims.map((c) => c.stances)).toEqual(claims.map((c) => viewStances(currentStances(claimStatusInput(story, story.claims.get(c.claimId)!)))));
      seen.push(...claims.map((c) => c.status));
    }
    expect(new Set(seen)).toEqual(new Set(['reported', 'confirmed', 'contested', 'denied']));
  });
});
