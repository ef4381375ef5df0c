import { type FormEvent, type ReactNode, useCallback, useEffect, useRef, useState } from 'react';
import { Link } from 'wouter';
import { apiRequest, describeError } from '../api/api.client';
import { CLAIM_STATUSES, type ClaimStatus, type StoryChange, type StoryListAnswer, type StorySummary } from '../api/read-shapes';
import { ErrorNote, LanguageTag, Moment, StatusBadge, TableFrame } from '../layout/display';
import { navigate, useHashSearch } from '../layout/hash-location';
import { can, useSession } from '../session/session';
import { applyChange, type BoardFilters, filtersFromSearch, searchFromFilters } from './board-filters';
import { useLiveFeed } from './live-feed';
import { LiveIndicator } from './live-indicator';

const PAGE_SIZE = 50;

interface Board {
  readonly rows: readonly StorySummary[];
  readonly nextCursor: string | null;
  /** The views' position the first page was read at. */
  readonly position: string | null;
}

/** The desk's board: stories newest first, filtered from the url, kept current by the live feed. */
export function BoardPage(): ReactNode {
  const { session } = useSession();
  const search = useHashSearch();
  const filters = filtersFromSearch(search);
  const filterKey = searchFromFilters(filters);
  const [board, setBoard] = useState<Board>({ rows: [], nextCursor: null, position: null });
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<string | null>(null);
  const [changed, setChanged] = useState<ReadonlySet<string>>(new Set());
  const filtersRef = useRef(filters);
  filtersRef.current = filters;

  const loadFirstPage = useCallback(async () => {
    try {
      const { data } = await apiRequest<StoryListAnswer>('/stories', { token: session.token, query: { ...filtersRef.current, limit: PAGE_SIZE } });
      setBoard({ rows: data.items, nextCursor: data.nextCursor, position: data.position });
      setError(null);
    } catch (failure) {
      setError(describeError(failure));
    } finally {
      setLoading(false);
    }
  }, [session.token]);

  useEffect(() => {
    setLoading(true);
    void loadFirstPage();
  }, [filterKey, loadFirstPage]);

  async function loadMore(): Promise<void> {
    if (board.nextCursor === null) return;
    try {
      const { data } = await apiRequest<StoryListAnswer>('/stories', {
        token: session.token,
        query: { ...filters, limit: PAGE_SIZE, cursor: board.nextCursor },
      });
      setBoard((current) => {
        const known = new Set(current.rows.map((row) => row.storyId));
        return { ...current, rows: [...current.rows, ...data.items.filter((item) => !known.has(item.storyId))], nextCursor: data.nextCursor };
      });
    } catch (failure) {
      setError(describeError(failure));
    }
  }

  const live = useLiveFeed(session.token, {
    onReady(position) {
      // Changes between the list's read and the stream's start were not sent: read again.
      if (board.position !== null && BigInt(position) > BigInt(board.position)) void loadFirstPage();
    },
    onChange(change: StoryChange) {
      const story = change.story;
      setBoard((current) => ({
        ...current,
        // No summary: the story is gone from the views (deleted in the store).
        rows:
          story === null
            ? current.rows.filter((row) => row.storyId !== change.storyId)
            : applyChange(current.rows, story, filtersRef.current, current.nextCursor !== null),
      }));
      setChanged((current) => new Set(current).add(change.storyId));
    },
    onReset() {
      void loadFirstPage();
    },
  });

  return (
    <>
      <div className="page-head">
        <h1>Board</h1>
        <LiveIndicator state={live} />
        {can(session, 'record') ? (
          <Link href="/record" className="button">
            Record a new story
          </Link>
        ) : null}
      </div>
      <FilterForm filters={filters} />
      <ErrorNote message={error} />
      <TableFrame label="Stories (scrolls sideways)">
        <table className="board" aria-busy={loading}>
          <caption>Stories, newest first{filterKey === '' ? '' : ' (filtered)'}</caption>
          <thead>
            <tr>
              <th scope="col">Story</th>
              <th scope="col">Claims</th>
              <th scope="col">Outlets</th>
              <th scope="col">Languages</th>
              <th scope="col">Companies</th>
              <th scope="col">Last change</th>
            </tr>
          </thead>
          <tbody>
            {board.rows.map((story) => (
              <StoryRow key={story.storyId} story={story} changed={changed.has(story.storyId)} />
            ))}
          </tbody>
        </table>
      </TableFrame>
      {!loading && board.rows.length === 0 ? <p className="empty">No story matches{filterKey === '' ? ' yet' : ' these filters'}.</p> : null}
      {board.nextCursor === null ? null : (
        <button type="button" onClick={() => void loadMore()}>
          Older stories
        </button>
      )}
    </>
  );
}

function StoryRow({ story, changed }: { story: StorySummary; changed: boolean }): ReactNode {
  const statuses = CLAIM_STATUSES.filter((status) => (story.claimStatuses[status] ?? 0) > 0);
  return (
    <tr data-story-id={story.storyId} data-revision={story.revision} className={changed ? 'changed' : undefined}>
      <th scope="row">
        {/* The headline is the first report's, and languages are listed in the order the reports brought them. */}
        <Link href={`/stories/${encodeURIComponent(story.storyId)}`} lang={story.languages[0]}>
          {story.headline}
        </Link>
        <div className="muted small">{story.storyId}</div>
      </th>
      <td>
        <ul className="badges" aria-label="Claims by status">
          {statuses.map((status: ClaimStatus) => (
            <li key={status}>
              <StatusBadge status={status} count={story.claimStatuses[status]} />
            </li>
          ))}
        </ul>
      </td>
      <td>{story.outlets.join(', ')}</td>
      <td>
        {story.languages.map((language, index) => (
          <span key={language}>
            {index > 0 ? ' ' : null}
            <LanguageTag tag={language} />
          </span>
        ))}
      </td>
      <td>
        {story.companies.map((company, index) => (
          <span key={company}>
            {index > 0 ? ', ' : null}
            <Link href={`/companies/${encodeURIComponent(company)}`}>{company}</Link>
          </span>
        ))}
      </td>
      <td>
        <Moment at={story.lastRecordedAt} />
      </td>
    </tr>
  );
}

function FilterForm({ filters }: { filters: BoardFilters }): ReactNode {
  function submit(event: FormEvent<HTMLFormElement>): void {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const text = (name: string): string => String(form.get(name) ?? '').trim();
    const since = text('updatedSince');
    const next: Record<string, string> = { status: text('status'), company: text('company'), outlet: text('outlet'), language: text('language') };
    if (since !== '' && !Number.isNaN(Date.parse(since))) next.updatedSince = new Date(since).toISOString();
    const query = searchFromFilters(next);
    navigate(query === '' ? '/' : `/?${query}`);
  }
  // Changing the filters remounts the form, so its fields show what the url says.
  return (
    <form className="filters" onSubmit={submit} key={searchFromFilters(filters)} aria-label="Filter the board">
      <div className="field">
        <label htmlFor="filter-status">Claim status</label>
        <select id="filter-status" name="status" defaultValue={filters.status ?? ''}>
          <option value="">any</option>
          {CLAIM_STATUSES.map((status) => (
            <option key={status} value={status}>
              {status}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor="filter-company">Company</label>
        <input id="filter-company" name="company" defaultValue={filters.company ?? ''} placeholder="e.g. ford" />
      </div>
      <div className="field">
        <label htmlFor="filter-outlet">Outlet</label>
        <input id="filter-outlet" name="outlet" defaultValue={filters.outlet ?? ''} placeholder="e.g. Financial Times" />
      </div>
      <div className="field">
        <label htmlFor="filter-language">Language</label>
        <input id="filter-language" name="language" defaultValue={filters.language ?? ''} placeholder="e.g. id" />
      </div>
      <div className="field">
        <label htmlFor="filter-since">Changed since (UTC)</label>
        <input id="filter-since" name="updatedSince" defaultValue={filters.updatedSince ?? ''} placeholder="e.g. 2025-01-06" />
      </div>
      <div className="field actions">
        <button type="submit">Filter</button>
        <button type="button" className="secondary" onClick={() => navigate('/')}>
          Clear
        </button>
      </div>
    </form>
  );
}
