/**
 * Basic authentication as a secure node does it. An insecure node (no TLS)
 * has no authentication at all, and the client sends no credentials then.
 */
import { timingSafeEqual } from 'node:crypto';
import type { Metadata } from '@grpc/grpc-js';

/** `authenticated`: known user; `anonymous`: no credentials; `rejected`: credentials that do not authenticate. */
export type Caller = 'authenticated' | 'anonymous' | 'rejected';

export interface Authenticator {
  readonly secure: boolean;
  identify(metadata: Metadata): Caller;
}

export const insecure: Authenticator = { secure: false, identify: () => 'authenticated' };

function same(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export function basicAuthenticator(users: Readonly<Record<string, string>>): Authenticator {
  return {
    secure: true,
    identify(metadata) {
      const header = metadata.get('authorization')[0];
      if (header === undefined) return 'anonymous';
      const match = /^Basic\s+(.+)$/i.exec(String(header));
      if (!match) return 'rejected';
      const decoded = Buffer.from(match[1], 'base64').toString('utf8');
      const colon = decoded.indexOf(':');
      if (colon < 0) return 'rejected';
      const user = decoded.slice(0, colon);
      const password = users[user];
      return Object.hasOwn(users, user) && password !== undefined && same(password, decoded.slice(colon + 1)) ? 'authenticated' : 'rejected';
    },
  };
}
