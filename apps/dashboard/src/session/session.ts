import { createContext, useContext } from 'react';
import { apiRequest } from '../api/api.client';
import type { Session } from '../api/read-shapes';

const TOKEN_KEY = 'newsroom.token';

/** Who is signed in: the token (kept in this tab's sessionStorage, never in a url) and its roles. */
export interface SignedIn {
  readonly token: string;
  readonly principal: string;
  readonly roles: ReadonlySet<string>;
}

export function storedToken(): string | null {
  return window.sessionStorage.getItem(TOKEN_KEY);
}

export function storeToken(token: string | null): void {
  if (token === null) window.sessionStorage.removeItem(TOKEN_KEY);
  else window.sessionStorage.setItem(TOKEN_KEY, token);
}

/** Asks the api who the token belongs to: ApiError 401 for a token it does not accept. */
export async function fetchSession(token: string): Promise<SignedIn> {
  const { data } = await apiRequest<Session>('/session', { token });
  return { token, principal: data.principal, roles: new Set(data.roles) };
}

/** What each role may see (DESIGN.md "Access"). */
export function can(session: SignedIn, what: 'read' | 'audit' | 'record'): boolean {
  switch (what) {
    case 'read':
      return session.roles.has('reader') || session.roles.has('auditor');
    case 'audit':
      return session.roles.has('auditor');
    case 'record':
      return session.roles.has('writer');
  }
}

export interface SessionContextValue {
  readonly session: SignedIn;
  signOut(): void;
}

export const SessionContext = createContext<SessionContextValue | null>(null);

export function useSession(): SessionContextValue {
  const value = useContext(SessionContext);
  if (value === null) throw new Error('useSession outside a signed-in page');
  return value;
}
