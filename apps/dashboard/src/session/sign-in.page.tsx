import { type FormEvent, type ReactNode, useState } from 'react';
import { ApiError } from '../api/api.client';
import { fetchSession, type SignedIn } from './session';

/** A bearer token pasted into a password field; the api says whether it knows it. */
export function SignInPage({ onSignedIn }: { onSignedIn(session: SignedIn): void }): ReactNode {
  const [token, setToken] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(event: FormEvent<HTMLFormElement>): Promise<void> {
    event.preventDefault();
    const value = token.trim();
    if (value === '') {
      setError('Paste your access token first.');
      return;
    }
    setBusy(true);
    setError(null);
    try {
      onSignedIn(await fetchSession(value));
    } catch (failure) {
      if (failure instanceof ApiError && failure.status === 401) setError('That token was not accepted: check it and try again.');
      else setError(`Could not sign in: ${failure instanceof Error ? failure.message : String(failure)}`);
    } finally {
      setBusy(false);
    }
  }

  return (
    <main id="main" className="sign-in">
      <h1>The desk</h1>
      <p>The newsroom ledger’s stories, as the desk knows them.</p>
      <form onSubmit={(event) => void submit(event)} noValidate aria-describedby={error === null ? undefined : 'sign-in-error'}>
        <label htmlFor="token">Access token</label>
        <input
          id="token"
          name="token"
          type="password"
          autoComplete="current-password"
          value={token}
          onChange={(event) => setToken(event.target.value)}
          aria-invalid={error === null ? undefined : true}
          aria-describedby="token-help"
        />
        <p id="token-help" className="help">
          Kept in this tab only (until you sign out or close it), never in the address bar.
        </p>
        <button type="submit" disabled={busy}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
        {error === null ? null : (
          <p id="sign-in-error" role="alert" className="error-note">
            {error}
          </p>
        )}
      </form>
    </main>
  );
}
