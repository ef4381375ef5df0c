import { SEED_STORY_EVENTS } from '../seed/seed-story.data';
import { CLAIM, cited, confirmed, corrected, denied, published, retracted } from '../testing/story.builders';
import { given as givenStory } from '../testing/story.specification';
import { decide } from './story.decide';
import { STORY_RULE_CODES, StoryRuleError, type StoryRuleCode } from './story.errors';
import type { StoryEvent } from './story.events';
import { foldStory } from './story.evolve';

// Every refusal below is recorded, so the last test can check that each code has one.
const refusedCodes = new Set<StoryRuleCode>();
function given(...history: StoryEvent[]) {
  const story = givenStory(...history);
  return {
    when(posted: StoryEvent | readonly StoryEvent[]) {
      const step = story.when(posted);
      return {
        thenAccepted: step.thenAccepted,
        thenRefused(...args: Parameters<typeof step.thenRefused>) {
          const error = step.thenRefused(...args);
          refusedCodes.add(error.code);
          return error;
        },
      };
    },
  };
}

const followUp = published({
  reportId: 'wire-1-de',
  outlet: 'Beispiel Nachrichten',
  headline: 'Acme und Globex sprechen über eine Fusion',
  language: 'de',
  publishedAt: '2025-02-01T10:00:00Z',
  followsReportId: 'wire-1',
  claims: [{ claimId: CLAIM, statement: 'Acme und Globex verhandeln über eine Fusion.', about: ['globex', 'acme'] }],
});

describe('a story that does not exist', () => {
  it('opens with a ReportPublished', () => {
    given().when(published()).thenAccepted();
  });

  it.each([cited(), denied('acme'), confirmed('acme'), corrected(), retracted()])('refuses a first $type as STORY_NOT_FOUND', (event) => {
    given().when(event).thenRefused('STORY_NOT_FOUND');
  });

  it('refuses a first report that follows another, which cannot be in the story', () => {
    given()
      .when(published({ followsReportId: 'elsewhere' }))
      .thenRefused('FOLLOWED_REPORT_NOT_FOUND', { details: { followsReportId: 'elsewhere' } });
  });
});

describe('ReportPublished', () => {
  it('accepts a follow-up in another language carrying the same claim, subjects in any order', () => {
    given(published()).when(followUp).thenAccepted();
  });

  it('accepts a second, independent report with claims of its own', () => {
    given(published())
      .when(
        published({
          reportId: 'daily-1',
          outlet: 'Example Daily',
          claims: [{ claimId: 'acme-layoffs', statement: 'Acme plans layoffs.', about: ['acme'] }],
        }),
      )
      .thenAccepted();
  });

  it('refuses a reportId already in the story', () => {
    given(published())
      .when(published())
      .thenRefused('REPORT_ALREADY_EXISTS', { details: { reportId: 'wire-1' } });
  });

  it('refuses a follow-up of a report that is not in the story', () => {
    given(published())
      .when(published({ reportId: 'wire-2', followsReportId: 'wire-9' }))
      .thenRefused('FOLLOWED_REPORT_NOT_FOUND', { details: { reportId: 'wire-2', followsReportId: 'wire-9' } });
  });

  it('refuses a follow-up dated before the report it follows', () => {
    given(published())
      .when(published({ reportId: 'wire-2', followsReportId: 'wire-1', publishedAt: '2025-01-31T08:00:00Z' }))
      .thenRefused('EARLIER_THAN_PUBLICATION', { details: { reportId: 'wire-2', followsReportId: 'wire-1' } });
  });

  it('refuses a report without claims', () => {
    given()
      .when(published({ claims: [] }))
      .thenRefused('REPORT_HAS_NO_CLAIMS');
  });

  it('refuses a report carrying the same claim twice', () => {
    const claim = { claimId: CLAIM, statement: 'Acme and Globex are in merger talks.', about: ['acme', 'globex'] };
    given()
      .when(published({ claims: [claim, { ...claim, statement: 'Said again.' }] }))
      .thenRefused('DUPLICATE_CLAIM_IN_REPORT', { details: { claimId: CLAIM } });
  });

  it('refuses a claim about no entity', () => {
    given()
      .when(published({ claims: [{ claimId: 'vague', statement: 'Something is afoot.', about: [] }] }))
      .thenRefused('CLAIM_HAS_NO_SUBJECT', { details: { claimId: 'vague' } });
  });

  it('refuses a claim naming an entity twice', () => {
    given()
      .when(published({ claims: [{ claimId: CLAIM, statement: 'Acme talks to itself.', about: ['acme', 'acme'] }] }))
      .thenRefused('DUPLICATE_CLAIM_SUBJECT', { details: { claimId: CLAIM } });
  });

  it('refuses a report re-carrying a claim about other entities', () => {
    given(published())
      .when(
        published({
          reportId: 'wire-2',
          claims: [{ claimId: CLAIM, statement: 'Acme, Globex and Initech are in merger talks.', about: ['acme', 'globex', 'initech'] }],
        }),
      )
      .thenRefused('CLAIM_SUBJECTS_MISMATCH', { details: { claimId: CLAIM, storyAbout: ['acme', 'globex'] } });
  });

  it('accepts a report re-carrying a claim whose every report was retracted: another outlet may stand behind it', () => {
    given(published(), retracted())
      .when(published({ reportId: 'daily-1', outlet: 'Example Daily', publishedAt: '2025-02-04T08:00:00Z' }))
      .thenAccepted();
  });

  it('accepts a follow-up of a retracted report (a piece about the retraction is a follow-up too)', () => {
    given(published(), retracted())
      .when(published({ reportId: 'wire-2', followsReportId: 'wire-1', publishedAt: '2025-02-04T08:00:00Z' }))
      .thenAccepted();
  });
});

describe('SourceCited', () => {
  it('accepts a source for a claim its report carries, the count defaulting to one person', () => {
    const { count: _count, ...withoutCount } = cited().data;
    given(published()).when({ type: 'SourceCited', data: withoutCount }).thenAccepted();
  });

  it('accepts a source of the follow-up for the claim it re-carries', () => {
    given(published(), followUp)
      .when(cited({ reportId: 'wire-1-de', sourceId: 'de-document', kind: 'document', count: 1 }))
      .thenAccepted();
  });

  it('refuses a source for a report that is not in the story', () => {
    given(published())
      .when(cited({ reportId: 'wire-9' }))
      .thenRefused('UNKNOWN_REPORT', { details: { reportId: 'wire-9' } });
  });

  it('refuses a sourceId already in the story', () => {
    given(published(), cited())
      .when(cited())
      .thenRefused('SOURCE_ALREADY_EXISTS', { details: { sourceId: 'wire-1-insiders' } });
  });

  it('refuses support for a claim not in the story', () => {
    given(published())
      .when(cited({ supports: ['ghost-claim'] }))
      .thenRefused('UNKNOWN_CLAIM', { details: { claimId: 'ghost-claim' } });
  });

  it('refuses support for a claim of the story that its report does not carry', () => {
    const other = published({
      reportId: 'daily-1',
      claims: [{ claimId: 'acme-layoffs', statement: 'Acme plans layoffs.', about: ['acme'] }],
    });
    given(published(), other)
      .when(cited({ reportId: 'daily-1', supports: [CLAIM] }))
      .thenRefused('CLAIM_NOT_IN_REPORT', { details: { reportId: 'daily-1', claimId: CLAIM } });
  });

  it.each([0, -4, 1.5])('refuses a count of %p people', (count) => {
    given(published()).when(cited({ count })).thenRefused('INVALID_SOURCE_COUNT', { details: { count } });
  });

  it('refuses a source supporting no claim', () => {
    given(published())
      .when(cited({ supports: [] }))
      .thenRefused('NO_CLAIM_REFERENCED', { details: { field: 'supports' } });
  });

  it('refuses a source supporting the same claim twice', () => {
    given(published())
      .when(cited({ supports: [CLAIM, CLAIM] }))
      .thenRefused('DUPLICATE_CLAIM_REFERENCE', { details: { field: 'supports', claimId: CLAIM } });
  });

  it('refuses a source for a retracted report', () => {
    given(published(), retracted())
      .when(cited())
      .thenRefused('REPORT_RETRACTED', { details: { reportId: 'wire-1' } });
  });
});

describe('CompanyDenied and CompanyConfirmed', () => {
  it('accepts a subject company denying, and another confirming', () => {
    given(published()).when(denied('acme')).thenAccepted();
    given(published()).when(confirmed('globex')).thenAccepted();
  });

  it('accepts a response read in a report of the story', () => {
    given(published(), followUp)
      .when(denied('acme', { reportedIn: 'wire-1-de', language: 'de', statement: 'Es gibt keine Gespräche.' }))
      .thenAccepted();
  });

  it('accepts a denial made before the report was published (the company was asked for comment)', () => {
    given(published())
      .when(denied('acme', { deniedAt: '2025-01-31T18:00:00Z' }))
      .thenAccepted();
  });

  it('accepts a denial of a claim whose reports are all retracted: the company said it', () => {
    given(published(), retracted()).when(denied('acme')).thenAccepted();
  });

  it('accepts a response read in a report retracted since: reportedIn is provenance only', () => {
    given(published(), followUp, retracted('wire-1-de'))
      .when(denied('acme', { reportedIn: 'wire-1-de' }))
      .thenAccepted();
  });

  it('accepts a company responding again, changing its stance', () => {
    given(published(), denied('acme')).when(confirmed('acme')).thenAccepted();
  });

  it.each([denied('initech'), confirmed('initech')])('refuses a $type by a company the claim is not about', (event) => {
    given(published())
      .when(event)
      .thenRefused('CLAIM_NOT_ABOUT_COMPANY', { details: { claimId: CLAIM, companyId: 'initech', about: ['acme', 'globex'] } });
  });

  it.each([denied('acme', { refutes: ['ghost-claim'] }), confirmed('acme', { confirms: ['ghost-claim'] })])(
    'refuses a $type of a claim not in the story',
    (event) => {
      given(published())
        .when(event)
        .thenRefused('UNKNOWN_CLAIM', { details: { claimId: 'ghost-claim' } });
    },
  );

  it.each([denied('acme', { refutes: [] }), confirmed('acme', { confirms: [] })])('refuses a $type naming no claim', (event) => {
    given(published()).when(event).thenRefused('NO_CLAIM_REFERENCED');
  });

  it('refuses a denial naming the same claim twice', () => {
    given(published())
      .when(denied('acme', { refutes: [CLAIM, CLAIM] }))
      .thenRefused('DUPLICATE_CLAIM_REFERENCE', { details: { field: 'refutes' } });
  });

  it('refuses a response read in a report that is not in the story', () => {
    given(published())
      .when(confirmed('acme', { reportedIn: 'wire-9' }))
      .thenRefused('UNKNOWN_REPORT', { details: { reportId: 'wire-9', field: 'reportedIn' } });
  });
});

describe('ReportCorrected', () => {
  it('accepts corrections, one after another', () => {
    given(published(), corrected()).when(corrected('wire-1', '2025-02-05T08:00:00Z')).thenAccepted();
  });

  it('refuses a correction of a report that is not in the story', () => {
    given(published())
      .when(corrected('wire-9'))
      .thenRefused('UNKNOWN_REPORT', { details: { reportId: 'wire-9' } });
  });

  it('refuses a correction of a retracted report', () => {
    given(published(), retracted())
      .when(corrected('wire-1', '2025-02-04T08:00:00Z'))
      .thenRefused('REPORT_RETRACTED', {
        details: { reportId: 'wire-1', retractedAt: '2025-02-03T08:00:00Z' },
      });
  });

  it('refuses a correction dated before the report was published', () => {
    given(published())
      .when(corrected('wire-1', '2025-01-01T00:00:00Z'))
      .thenRefused('EARLIER_THAN_PUBLICATION', {
        details: { reportId: 'wire-1', correctedAt: '2025-01-01T00:00:00Z' },
      });
  });
});

describe('ReportRetracted', () => {
  it('accepts retracting a corrected report', () => {
    given(published(), corrected()).when(retracted()).thenAccepted();
  });

  it('refuses retracting a report that is not in the story', () => {
    given(published())
      .when(retracted('wire-9'))
      .thenRefused('UNKNOWN_REPORT', { details: { reportId: 'wire-9' } });
  });

  it('refuses retracting a report twice', () => {
    given(published(), retracted())
      .when(retracted())
      .thenRefused('REPORT_ALREADY_RETRACTED', { details: { reportId: 'wire-1' } });
  });

  it('refuses a retraction dated before the report was published', () => {
    given(published()).when(retracted('wire-1', '2025-01-31T23:59:59Z')).thenRefused('EARLIER_THAN_PUBLICATION');
  });
});

describe('what reaches the rules without intake', () => {
  it('refuses an event type outside the catalogue', () => {
    const stranger = { type: 'ReportLiked', data: { reportId: 'wire-1' } } as unknown as StoryEvent;
    given(published())
      .when(stranger)
      .thenRefused('UNKNOWN_EVENT_TYPE', { details: { type: 'ReportLiked' } });
  });

  it('refuses an empty array', () => {
    given(published()).when([]).thenRefused('NO_EVENTS');
  });
});

describe('an array of events', () => {
  it('is checked in order: a report and its source open a story together', () => {
    given()
      .when([published(), cited(), denied('acme')])
      .thenAccepted();
  });

  it('is checked in order: a source before its report is refused', () => {
    given().when([cited(), published()]).thenRefused('STORY_NOT_FOUND', { eventIndex: 0 });
  });

  it('is all-or-nothing: the last event breaking a rule refuses the whole array, naming its index', () => {
    const error = given(published())
      .when([cited(), followUp, denied('initech')])
      .thenRefused('CLAIM_NOT_ABOUT_COMPANY', { eventIndex: 2 });
    expect(error.message).toMatch(/^Event 2: /);
  });

  it('sees the events before it: a retraction then a correction of the same report is refused', () => {
    given(published())
      .when([retracted(), corrected('wire-1', '2025-02-04T08:00:00Z')])
      .thenRefused('REPORT_RETRACTED', { eventIndex: 1 });
  });

  it('leaves the given state untouched when refused', () => {
    const state = foldStory([published()]);
    const before = foldStory([published()]);
    expect(() => decide(state, [followUp, cited({ sourceId: 'x' }), retracted('wire-9')])).toThrow(StoryRuleError);
    expect(state).toEqual(before);
  });
});

describe('the seed story', () => {
  it('is accepted event by event, in order', () => {
    SEED_STORY_EVENTS.forEach((event, index) => {
      given(...SEED_STORY_EVENTS.slice(0, index))
        .when(event)
        .thenAccepted();
    });
  });

  it('is accepted as one array', () => {
    given().when(SEED_STORY_EVENTS).thenAccepted();
  });
});

// Last on purpose (jest runs a file's tests in order): every rule has a test above that breaks it.
it('has a refusal test for every rule code', () => {
  expect([...refusedCodes].sort()).toEqual([...STORY_RULE_CODES].sort());
});
