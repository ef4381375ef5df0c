import { type FormEvent, type ReactNode, useEffect, useState } from 'react';
import { Link } from 'wouter';
import { apiRequest, describeError } from '../api/api.client';
import type { ProjectionsStatus, StoryHistory, StoryReadModel, StoryTimeline } from '../api/read-shapes';
import { ErrorNote, Moment, TableFrame } from '../layout/display';
import { navigate, useHashSearch } from '../layout/hash-location';
import { useSession } from '../session/session';
import { StoryBody } from '../story/story.page';
import { changesSince } from './changes-since';

/** The auditor's page: the views' status, and for a story its history and the story as it was known then. */
export function AuditPage({ storyId }: { storyId?: string }): ReactNode {
  return (
    <>
      <h1>{storyId === undefined ? 'Views' : `Audit: ${storyId}`}</h1>
      {storyId === undefined ? null : (
        <p>
          <Link href={`/stories/${encodeURIComponent(storyId)}`}>Back to the story as known now</Link>
        </p>
      )}
      {storyId === undefined ? null : <AsOf storyId={storyId} />}
      {storyId === undefined ? null : <History storyId={storyId} />}
      <ViewsStatus />
    </>
  );
}

/** One read, again whenever its path or query changes; none while `path` is null. */
function useRead<T>(path: string | null, query: Record<string, string | undefined> = {}): { data: T | null; error: string | null } {
  const { session } = useSession();
  const [state, setState] = useState<{ data: T | null; error: string | null }>({ data: null, error: null });
  const key = JSON.stringify(query);
  useEffect(() => {
    let current = true;
    setState({ data: null, error: null });
    if (path === null) return;
    apiRequest<T>(path, { token: session.token, query: JSON.parse(key) as Record<string, string | undefined> }).then(
      ({ data }) => current && setState({ data, error: null }),
      (failure: unknown) => current && setState({ data: null, error: describeError(failure) }),
    );
    return () => {
      current = false;
    };
  }, [path, key, session.token]);
  return state;
}

function AsOf({ storyId }: { storyId: string }): ReactNode {
  const params = new URLSearchParams(useHashSearch());
  const asOf = params.get('asOf') ?? undefined;
  const atRevision = params.get('atRevision') ?? undefined;
  const chosen = asOf !== undefined || atRevision !== undefined;
  const path = `/stories/${encodeURIComponent(storyId)}`;
  const now = useRead<StoryReadModel>(path);
  const timeline = useRead<StoryTimeline>(`${path}/timeline`);
  const then = useRead<StoryReadModel>(chosen ? path : null, { asOf, atRevision });

  function submit(event: FormEvent<HTMLFormElement>): void {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const query = new URLSearchParams();
    const time = String(form.get('asOf') ?? '').trim();
    const revision = String(form.get('atRevision') ?? '').trim();
    if (time !== '') query.set('asOf', Number.isNaN(Date.parse(time)) ? time : new Date(time).toISOString());
    if (revision !== '') query.set('atRevision', revision);
    navigate(`/stories/${encodeURIComponent(storyId)}/audit${query.size === 0 ? '' : `?${query.toString()}`}`);
  }

  const changes = then.data !== null && now.data !== null ? changesSince(then.data, now.data) : null;
  return (
    <section aria-labelledby="as-of-heading" className="as-of">
      <h2 id="as-of-heading">As of</h2>
      <form onSubmit={submit} className="filters" key={`${asOf ?? ''}|${atRevision ?? ''}`} aria-label="Show the story as it was known then" noValidate>
        <div className="field">
          <label htmlFor="as-of-time">Recorded by (UTC time)</label>
          <input id="as-of-time" name="asOf" defaultValue={asOf ?? ''} placeholder="2025-01-06T12:00:00Z" />
        </div>
        <div className="field">
          <label htmlFor="as-of-revision">At revision</label>
          <input id="as-of-revision" name="atRevision" inputMode="numeric" defaultValue={atRevision ?? ''} placeholder="e.g. 4" />
        </div>
        <div className="field actions">
          <button type="submit">Show as of then</button>
          <button type="button" className="secondary" onClick={() => navigate(`/stories/${encodeURIComponent(storyId)}/audit`)}>
            Now
          </button>
        </div>
      </form>
      {!chosen ? <p>Choose a recorded time or a revision to see the story exactly as the desk knew it then.</p> : null}
      {chosen ? <ErrorNote message={then.error} /> : null}
      {then.data === null ? null : (
        <div className="as-of-story" data-as-of-revision={then.data.revision}>
          <p className="as-of-banner" role="status">
            {asOf === undefined
              ? `The story as known at revision ${then.data.revision}.`
              : `The story as known at ${asOf}${atRevision === undefined ? '' : ` up to revision ${atRevision}`}: revision ${then.data.revision}.`}
          </p>
          {changes === null || changes.lines.length === 0 ? (
            <p>Nothing has changed since.</p>
          ) : (
            <>
              <h3>Changed since</h3>
              <ul className="changed-list">
                {changes.lines.map((line) => (
                  <li key={line}>{line}</li>
                ))}
              </ul>
            </>
          )}
          <StoryBody
            story={then.data}
            timeline={(timeline.data?.events ?? []).filter((entry) => entry.revision <= then.data!.revision)}
            changedSince={changes?.keys}
          />
        </div>
      )}
    </section>
  );
}

function History({ storyId }: { storyId: string }): ReactNode {
  const history = useRead<StoryHistory>(`/stories/${encodeURIComponent(storyId)}/history`);
  return (
    <section aria-labelledby="history-heading">
      <h2 id="history-heading">History</h2>
      <ErrorNote message={history.error} />
      {history.data === null ? null : (
        <TableFrame label="History (scrolls sideways)">
          <table className="history">
            <caption className="visually-hidden">Every event of the story’s stream</caption>
            <thead>
              <tr>
                <th scope="col">Revision</th>
                <th scope="col">Position</th>
                <th scope="col">Type</th>
                <th scope="col">Recorded at</th>
                <th scope="col">Recorded by</th>
                <th scope="col">Tool</th>
                <th scope="col">Correlation id</th>
                <th scope="col">Data</th>
              </tr>
            </thead>
            <tbody>
              {history.data.events.map((event) => (
                <tr key={event.eventId} data-revision={event.revision}>
                  <td>{event.revision}</td>
                  <td>{event.position}</td>
                  <td>{event.type}</td>
                  <td>
                    <Moment at={event.recordedAt} />
                  </td>
                  <td className="small">{event.recordedBy}</td>
                  <td className="small">{event.tool ?? '—'}</td>
                  <td className="small mono">{event.correlationId ?? '—'}</td>
                  <td>
                    <details>
                      <summary>data</summary>
                      <pre>{JSON.stringify(event.data, null, 2)}</pre>
                    </details>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableFrame>
      )}
    </section>
  );
}

function ViewsStatus(): ReactNode {
  const status = useRead<ProjectionsStatus>('/admin/projections');
  return (
    <section aria-labelledby="views-heading">
      <h2 id="views-heading">The views</h2>
      <ErrorNote message={status.error} />
      {status.data === null ? null : (
        <dl className="facts">
          <dt>State</dt>
          <dd>
            {status.data.state}
            {status.data.caughtUp ? ' (caught up)' : ' (catching up)'}
          </dd>
          <dt>Position</dt>
          <dd>{status.data.position}</dd>
          <dt>Lag</dt>
          <dd>{status.data.lag.positions === null ? 'unknown (store unreachable)' : `${status.data.lag.positions} positions`}</dd>
          <dt>Digest</dt>
          <dd className="mono">{status.data.digest}</dd>
          <dt>Held</dt>
          <dd>
            {status.data.stories} stories, {status.data.companies} companies, {status.data.events} events
          </dd>
        </dl>
      )}
    </section>
  );
}
