import { useSyncExternalStore } from 'react';

/**
 * The client's routes live in the url's hash, query included (`/#/stories/x?asOf=…`), so
 * they never collide with the api's own paths and a view can be shared by its url.
 * wouter's own hash hook keeps the query outside the hash, hence these few lines.
 */
function subscribe(callback: () => void): () => void {
  window.addEventListener('hashchange', callback);
  return () => window.removeEventListener('hashchange', callback);
}

function hashParts(): [string, string] {
  const hash = window.location.hash.replace(/^#?\/?/, '');
  const at = hash.indexOf('?');
  return at === -1 ? [hash, ''] : [hash.slice(0, at), hash.slice(at + 1)];
}

const currentPath = (): string => `/${hashParts()[0]}`;
const currentSearch = (): string => hashParts()[1];

export function navigate(to: string, options: { replace?: boolean } = {}): void {
  const url = new URL(window.location.href);
  url.hash = to.startsWith('/') ? to : `/${to}`;
  const oldURL = window.location.href;
  window.history[options.replace === true ? 'replaceState' : 'pushState'](null, '', url.href);
  window.dispatchEvent(new HashChangeEvent('hashchange', { oldURL, newURL: url.href }));
}

export function useHashLocation(): [string, typeof navigate] {
  return [useSyncExternalStore(subscribe, currentPath), navigate];
}
useHashLocation.hrefs = (href: string): string => `#${href}`;

export function useHashSearch(): string {
  return useSyncExternalStore(subscribe, currentSearch);
}
