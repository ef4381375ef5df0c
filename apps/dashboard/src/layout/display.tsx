import type { ReactNode } from 'react';
import type { ClaimStatus } from '../api/read-shapes';

/** A symbol beside each status word, so colour is never the only signal. */
const STATUS_SYMBOL: Record<ClaimStatus, string> = {
  reported: '●',
  disputed: '◐',
  denied: '✕',
  confirmed: '✓',
  contested: '⇄',
  retracted: '⊘',
};

export function StatusBadge({ status, count }: { status: ClaimStatus; count?: number }): ReactNode {
  return (
    <span className={`badge badge-${status}`} data-status={status}>
      <span aria-hidden="true">{STATUS_SYMBOL[status]} </span>
      {status}
      {count !== undefined && count > 1 ? <span className="badge-count"> ×{count}</span> : null}
    </span>
  );
}

const dateTime = new Intl.DateTimeFormat('en-GB', { dateStyle: 'medium', timeStyle: 'medium', timeZone: 'UTC' });

/** A moment shown in UTC, with the exact ISO time machine-readable (and on hover). */
export function Moment({ at }: { at: string | null | undefined }): ReactNode {
  if (at === null || at === undefined) return <span className="muted">no time of its own</span>;
  const date = new Date(at);
  if (Number.isNaN(date.getTime())) return <span>{at}</span>;
  return (
    <time dateTime={at} title={at}>
      {dateTime.format(date)} UTC
    </time>
  );
}

/** Known languages by their BCP 47 tag: the tag stays visible, the name helps. */
const LANGUAGE_NAMES: Record<string, string> = { en: 'English', id: 'Indonesian (Bahasa Indonesia)' };

export function LanguageTag({ tag }: { tag: string }): ReactNode {
  return (
    <abbr className="lang-tag" title={LANGUAGE_NAMES[tag] ?? tag}>
      {tag}
    </abbr>
  );
}

/** Text in its own language (`lang` set, so screen readers and hyphenation follow it). */
export function Quote({ text, lang }: { text: string; lang: string }): ReactNode {
  return (
    <q lang={lang} className="quote">
      {text}
    </q>
  );
}

export function ErrorNote({ message }: { message: string | null }): ReactNode {
  if (message === null) return null;
  return (
    <p role="alert" className="error-note">
      {message}
    </p>
  );
}

/** A wide table's frame: scrolls sideways on a narrow screen, reachable by keyboard. */
export function TableFrame({ label, children }: { label: string; children: ReactNode }): ReactNode {
  return (
    <div className="table-frame" role="region" aria-label={label} tabIndex={0}>
      {children}
    </div>
  );
}
