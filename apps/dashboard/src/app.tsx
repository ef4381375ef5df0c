import { type MouseEvent, type ReactNode, useEffect, useState } from 'react';
import { Link, Route, Router, Switch } from 'wouter';
import { AuditPage } from './audit/audit.page';
import { BoardPage } from './board/board.page';
import { CompanyPage } from './company/company.page';
import { useHashLocation, useHashSearch } from './layout/hash-location';
import { RecordPage } from './record/record.page';
import { can, fetchSession, SessionContext, type SignedIn, storedToken, storeToken } from './session/session';
import { SignInPage } from './session/sign-in.page';
import { StoryPage } from './story/story.page';

type Start = { readonly state: 'checking' } | { readonly state: 'signed-out' } | { readonly state: 'signed-in'; readonly session: SignedIn };

/** Signs in (or resumes this tab's session), then routes by the url's hash. */
export function App(): ReactNode {
  const [start, setStart] = useState<Start>(() => (storedToken() === null ? { state: 'signed-out' } : { state: 'checking' }));

  useEffect(() => {
    const token = storedToken();
    if (token === null) return;
    fetchSession(token).then(
      (session) => setStart({ state: 'signed-in', session }),
      () => {
        storeToken(null);
        setStart({ state: 'signed-out' });
      },
    );
  }, []);

  if (start.state === 'checking') return <p className="checking">Signing in…</p>;
  if (start.state === 'signed-out') {
    return (
      <SignInPage
        onSignedIn={(session) => {
          storeToken(session.token);
          setStart({ state: 'signed-in', session });
        }}
      />
    );
  }
  const signOut = (): void => {
    storeToken(null);
    setStart({ state: 'signed-out' });
  };
  return (
    <SessionContext.Provider value={{ session: start.session, signOut }}>
      <Router hook={useHashLocation} searchHook={useHashSearch}>
        <Shell session={start.session} signOut={signOut} />
      </Router>
    </SessionContext.Provider>
  );
}

function Shell({ session, signOut }: { session: SignedIn; signOut(): void }): ReactNode {
  return (
    <>
      <a className="skip-link" href="#main" onClick={(event) => skipToMain(event)}>
        Skip to content
      </a>
      <header className="masthead">
        <p className="brand">
          <Link href="/">The desk</Link>
        </p>
        <nav aria-label="Main">
          <ul>
            {can(session, 'read') ? (
              <li>
                <Link href="/">Board</Link>
              </li>
            ) : null}
            {can(session, 'record') ? (
              <li>
                <Link href="/record">Record a fact</Link>
              </li>
            ) : null}
            {can(session, 'audit') ? (
              <li>
                <Link href="/views">Views</Link>
              </li>
            ) : null}
          </ul>
        </nav>
        <p className="who">
          <span className="principal" title={session.principal}>
            {session.principal}
          </span>{' '}
          <span className="roles" data-roles={[...session.roles].sort().join(' ')}>
            ({[...session.roles].sort().join(', ')})
          </span>{' '}
          <button type="button" className="secondary" onClick={signOut}>
            Sign out
          </button>
        </p>
      </header>
      <main id="main" tabIndex={-1}>
        <Routes session={session} />
      </main>
    </>
  );
}

function Routes({ session }: { session: SignedIn }): ReactNode {
  const reads = can(session, 'read');
  return (
    <Switch>
      <Route path="/">{reads ? <BoardPage /> : <WriterHome />}</Route>
      <Route path="/record">{can(session, 'record') ? <RecordPage /> : <NotAllowed role="writer" />}</Route>
      <Route path="/views">{can(session, 'audit') ? <AuditPage /> : <NotAllowed role="auditor" />}</Route>
      <Route path="/stories/:storyId/audit">
        {(params) => (can(session, 'audit') ? <AuditPage storyId={params.storyId} /> : <NotAllowed role="auditor" />)}
      </Route>
      <Route path="/stories/:storyId/record">
        {(params) => (can(session, 'record') ? <RecordPage storyId={params.storyId} /> : <NotAllowed role="writer" />)}
      </Route>
      <Route path="/stories/:storyId">{(params) => (reads ? <StoryPage storyId={params.storyId} /> : <NotAllowed role="reader" />)}</Route>
      <Route path="/companies/:companyId">{(params) => (reads ? <CompanyPage companyId={params.companyId} /> : <NotAllowed role="reader" />)}</Route>
      <Route>
        <h1>Not found</h1>
        <p>
          No page here. <Link href="/">Back to the board</Link>.
        </p>
      </Route>
    </Switch>
  );
}

/** A token with the writer role only: it may record, not read the board. */
function WriterHome(): ReactNode {
  return (
    <>
      <h1>Record facts</h1>
      <p>This token may record facts but not read the board (it has no reader role).</p>
      <p>
        <Link href="/record" className="button">
          Record a fact
        </Link>
      </p>
    </>
  );
}

function NotAllowed({ role }: { role: string }): ReactNode {
  return (
    <>
      <h1>Not for this token</h1>
      <p>This page needs the {role} role.</p>
    </>
  );
}

function skipToMain(event: MouseEvent<HTMLAnchorElement>): void {
  // The hash holds the route: move the focus without touching it.
  event.preventDefault();
  document.getElementById('main')?.focus();
}
