import type { ReactNode } from 'react';
import { Link } from 'wouter';
import type { ClaimReadModel, ReportReadModel, StoryReadModel, TimelineEntry } from '../api/read-shapes';
import { SOURCE_KINDS } from '../api/read-shapes';
import { useLiveFeed } from '../board/live-feed';
import { LiveIndicator } from '../board/live-indicator';
import { ErrorNote, LanguageTag, Moment, Quote, StatusBadge, TableFrame } from '../layout/display';
import { can, useSession } from '../session/session';
import { subjectStances } from './claim-stances';
import { StoryTimeChart } from './story-time-chart';
import { useStory } from './use-story';

/** A story as the desk knows it now: reports, claims and why they stand, sources, timeline. */
export function StoryPage({ storyId }: { storyId: string }): ReactNode {
  const { session } = useSession();
  const { loaded, error, reload } = useStory(session.token, storyId);
  const live = useLiveFeed(session.token, { onReady: () => undefined, onChange: (change) => reload(change.position), onReset: () => reload() }, storyId);
  if (loaded === null) {
    return (
      <>
        <h1>Story {storyId}</h1>
        {error === null ? <p aria-busy="true">Loading…</p> : <ErrorNote message={error} />}
      </>
    );
  }
  const { story, timeline } = loaded;
  return (
    <article className="story" data-story-id={story.storyId} data-revision={story.revision}>
      <div className="page-head">
        <h1 lang={story.reports[0]?.language}>{story.headline}</h1>
        <LiveIndicator state={live} />
      </div>
      <p className="muted">
        {story.storyId} · revision {story.revision} · last recorded <Moment at={story.lastRecordedAt} />
      </p>
      <ErrorNote message={error} />
      <nav aria-label="This story" className="story-actions">
        {can(session, 'audit') ? (
          <Link href={`/stories/${encodeURIComponent(storyId)}/audit`} className="button secondary">
            Audit: history and “as of”
          </Link>
        ) : null}
        {can(session, 'record') ? (
          <Link href={`/stories/${encodeURIComponent(storyId)}/record`} className="button">
            Record a fact on this story
          </Link>
        ) : null}
      </nav>
      <StoryBody story={story} timeline={timeline.events} />
    </article>
  );
}

/** The story's content, shared with the audit page's "as of" view. */
export function StoryBody({
  story,
  timeline,
  changedSince,
}: {
  story: StoryReadModel;
  timeline: readonly TimelineEntry[];
  changedSince?: ReadonlySet<string>;
}): ReactNode {
  return (
    <>
      <section aria-labelledby="reports-heading">
        <h2 id="reports-heading">Reports</h2>
        <Reports reports={story.reports} changedSince={changedSince} />
      </section>
      <section aria-labelledby="claims-heading">
        <h2 id="claims-heading">Claims</h2>
        {story.claims.map((claim) => (
          <Claim key={claim.claimId} story={story} claim={claim} timeline={timeline} changed={changedSince?.has(`claim:${claim.claimId}`) === true} />
        ))}
      </section>
      {timeline.length === 0 ? null : (
        <>
          <section aria-labelledby="picture-heading">
            <h2 id="picture-heading">The story over time</h2>
            <StoryTimeChart events={timeline} />
          </section>
          <section aria-labelledby="timeline-heading">
            <h2 id="timeline-heading">Timeline</h2>
            <Timeline events={timeline} />
          </section>
        </>
      )}
    </>
  );
}

function Reports({ reports, changedSince }: { reports: readonly ReportReadModel[]; changedSince: ReadonlySet<string> | undefined }): ReactNode {
  return (
    <TableFrame label="Reports (scrolls sideways)">
      <table className="reports">
        <caption className="visually-hidden">The story’s reports</caption>
        <thead>
          <tr>
            <th scope="col">Outlet</th>
            <th scope="col">Headline</th>
            <th scope="col">Language</th>
            <th scope="col">Status</th>
            <th scope="col">Published</th>
          </tr>
        </thead>
        <tbody>
          {reports.map((report) => (
            <tr
              key={report.reportId}
              data-report-id={report.reportId}
              className={changedSince?.has(`report:${report.reportId}`) === true ? 'changed-since' : undefined}
            >
              <td>{report.outlet}</td>
              <td>
                <span lang={report.language}>
                  {report.url === undefined ? (
                    report.headline
                  ) : (
                    <a href={report.url} rel="noreferrer noopener" target="_blank">
                      {report.headline}
                    </a>
                  )}
                </span>
                {report.followsReportId === undefined ? null : <div className="muted small">follows {report.followsReportId}</div>}
                {report.corrections.map((correction) => (
                  <div key={correction.correctedAt} className="small">
                    Corrected <Moment at={correction.correctedAt} />: {correction.correction}
                  </div>
                ))}
                {report.retraction === undefined ? null : (
                  <div className="small">
                    Retracted <Moment at={report.retraction.retractedAt} />: {report.retraction.reason}
                  </div>
                )}
              </td>
              <td>
                <LanguageTag tag={report.language} />
              </td>
              <td className={`report-${report.status}`}>{report.status}</td>
              <td>
                <Moment at={report.publishedAt} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableFrame>
  );
}

function Claim({
  story,
  claim,
  timeline,
  changed,
}: {
  story: StoryReadModel;
  claim: ClaimReadModel;
  timeline: readonly TimelineEntry[];
  changed: boolean;
}): ReactNode {
  const stances = subjectStances(story, claim, timeline);
  const headingId = `claim-${claim.claimId}`;
  return (
    <section className={`claim${changed ? ' changed-since' : ''}`} aria-labelledby={headingId} data-claim-id={claim.claimId} data-status={claim.status}>
      <h3 id={headingId}>
        <StatusBadge status={claim.status} /> <span lang={claim.language}>{claim.statement}</span>
        {changed ? <span className="changed-note"> (changed since)</span> : null}
      </h3>
      {claim.statements.length > 1 ? (
        <ul className="translations" aria-label="The claim as each report puts it">
          {claim.statements.map((statement) => (
            <li key={statement.reportId}>
              <LanguageTag tag={statement.language} /> <span lang={statement.language}>{statement.statement}</span>{' '}
              <span className="muted small">({statement.reportId})</span>
            </li>
          ))}
        </ul>
      ) : null}
      <h4>Why it is {claim.status}</h4>
      <ul className="stances">
        {stances.map((subject) => (
          <li key={subject.companyId} data-company-id={subject.companyId}>
            <Link href={`/companies/${encodeURIComponent(subject.companyId)}`}>{subject.companyName}</Link>:{' '}
            {subject.stance === null ? <span className="muted">no response recorded</span> : <strong>{subject.stance}</strong>}
            {subject.responses.length === 0 ? null : (
              <ul>
                {subject.responses.map((response) => (
                  <li key={`${response.at}-${response.stance}`} className="response">
                    {response.stance === 'denied' ? 'Denied' : 'Confirmed'}: <Quote text={response.statement} lang={response.language} />{' '}
                    <LanguageTag tag={response.language} />
                    <div className="small muted">
                      said <Moment at={response.at} /> · recorded{' '}
                      {response.recordedAt === undefined ? 'at an unknown time' : <Moment at={response.recordedAt} />}
                    </div>
                  </li>
                ))}
              </ul>
            )}
          </li>
        ))}
      </ul>
      <h4>Sources</h4>
      {SOURCE_KINDS.every((kind) => claim.sources[kind] === 0) ? (
        <p className="muted">No source cited.</p>
      ) : (
        <ul className="sources">
          {SOURCE_KINDS.filter((kind) => claim.sources[kind] > 0).map((kind) => (
            <li key={kind} data-kind={kind} data-count={claim.sources[kind]}>
              {kind}: {claim.sources[kind]} {claim.sources[kind] === 1 ? 'person' : 'people'}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

function Timeline({ events }: { events: readonly TimelineEntry[] }): ReactNode {
  return (
    <TableFrame label="Timeline (scrolls sideways)">
      <table className="timeline">
        <caption className="visually-hidden">The story’s events in the order they were recorded</caption>
        <thead>
          <tr>
            <th scope="col">#</th>
            <th scope="col">Event</th>
            <th scope="col">About</th>
            <th scope="col">Happened</th>
            <th scope="col">Recorded</th>
            <th scope="col">By</th>
          </tr>
        </thead>
        <tbody>
          {events.map((entry) => (
            <tr key={entry.revision}>
              <td>{entry.revision}</td>
              <td>{entry.type}</td>
              <td>{entry.subject}</td>
              <td>
                <Moment at={entry.happenedAt} />
              </td>
              <td>
                <Moment at={entry.recordedAt} />
              </td>
              <td className="small">{entry.recordedBy}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableFrame>
  );
}
