/**
 * The six event types' fields as DESIGN.md's catalogue fixes them. A field's `path` is its
 * JSON pointer under `/data`, so a Problem Details error names the field it belongs to.
 */
export const EVENT_TYPES = ['ReportPublished', 'SourceCited', 'CompanyDenied', 'CompanyConfirmed', 'ReportCorrected', 'ReportRetracted'] as const;
export type EventType = (typeof EVENT_TYPES)[number];

export type FieldKind = 'text' | 'long' | 'time' | 'list' | 'count' | 'source-kind' | 'url' | 'language';

export interface FieldSpec {
  readonly path: string;
  readonly label: string;
  readonly kind: FieldKind;
  readonly optional?: boolean;
  readonly help?: string;
}

const time = (path: string, label: string): FieldSpec => ({ path, label, kind: 'time', help: 'UTC, e.g. 2025-01-06T15:00:00Z' });
const language: FieldSpec = { path: 'language', label: 'Language (BCP 47)', kind: 'language', help: 'e.g. en, id' };
const response = (verb: 'denied' | 'confirmed', list: 'refutes' | 'confirms'): readonly FieldSpec[] => [
  { path: 'companyId', label: 'Company id', kind: 'text', help: 'a slug, e.g. ford' },
  { path: 'companyName', label: 'Company name', kind: 'text' },
  { path: 'statement', label: 'Statement (the quote, in its own language)', kind: 'long' },
  language,
  time(`${verb}At`, `${verb === 'denied' ? 'Denied' : 'Confirmed'} at`),
  { path: list, label: `Claims it ${verb === 'denied' ? 'refutes' : 'confirms'}`, kind: 'list', help: 'claim ids, separated by commas' },
  { path: 'reportedIn', label: 'Reported in (report id)', kind: 'text', optional: true },
];

export const EVENT_FORMS: Record<EventType, { readonly title: string; readonly fields: readonly FieldSpec[] }> = {
  ReportPublished: {
    title: 'A report was published',
    fields: [
      { path: 'reportId', label: 'Report id', kind: 'text', help: 'a slug, unique in the story' },
      { path: 'outlet', label: 'Outlet', kind: 'text' },
      { path: 'headline', label: 'Headline', kind: 'text' },
      { path: 'url', label: 'Link', kind: 'url', optional: true },
      language,
      time('publishedAt', 'Published at'),
      { path: 'followsReportId', label: 'Follows report (a follow-up or translation of)', kind: 'text', optional: true },
      { path: 'claims/0/claimId', label: 'Claim id', kind: 'text' },
      { path: 'claims/0/statement', label: 'Claim statement', kind: 'long' },
      { path: 'claims/0/about', label: 'Claim about (company ids)', kind: 'list', help: 'separated by commas, e.g. ford, xiaomi' },
    ],
  },
  SourceCited: {
    title: 'A report cited a source',
    fields: [
      { path: 'reportId', label: 'Report id', kind: 'text' },
      { path: 'sourceId', label: 'Source id', kind: 'text', help: 'a slug, unique in the story' },
      { path: 'kind', label: 'Kind of source', kind: 'source-kind' },
      { path: 'description', label: 'Description', kind: 'long' },
      { path: 'count', label: 'People behind it', kind: 'count', optional: true, help: 'default 1' },
      { path: 'supports', label: 'Claims it supports', kind: 'list', help: 'claim ids, separated by commas' },
    ],
  },
  CompanyDenied: { title: 'A company denied a claim', fields: response('denied', 'refutes') },
  CompanyConfirmed: { title: 'A company confirmed a claim', fields: response('confirmed', 'confirms') },
  ReportCorrected: {
    title: 'A report was corrected',
    fields: [
      { path: 'reportId', label: 'Report id', kind: 'text' },
      { path: 'correction', label: 'Correction', kind: 'long' },
      time('correctedAt', 'Corrected at'),
    ],
  },
  ReportRetracted: {
    title: 'A report was retracted',
    fields: [{ path: 'reportId', label: 'Report id', kind: 'text' }, { path: 'reason', label: 'Reason', kind: 'long' }, time('retractedAt', 'Retracted at')],
  },
};

/** The event's `data` from the form's values: lists split on commas, empty optional fields left out. */
export function eventData(type: EventType, values: Readonly<Record<string, string>>): Record<string, unknown> {
  const data: Record<string, unknown> = {};
  for (const field of EVENT_FORMS[type].fields) {
    const raw = (values[field.path] ?? '').trim();
    if (raw === '' && field.optional === true) continue;
    let value: unknown = raw;
    if (field.kind === 'list')
      value = raw
        .split(',')
        .map((item) => item.trim())
        .filter((item) => item !== '');
    // A count that is not a number goes as typed, for the api to refuse with its own words.
    else if (field.kind === 'count' && /^\d+$/.test(raw)) value = Number(raw);
    setAt(data, field.path.split('/'), value);
  }
  return data;
}

function setAt(target: Record<string, unknown> | unknown[], segments: readonly string[], value: unknown): void {
  const [head, ...rest] = segments as [string, ...string[]];
  const key: string | number = /^\d+$/.test(head) ? Number(head) : head;
  if (rest.length === 0) {
    (target as Record<string | number, unknown>)[key] = value;
    return;
  }
  const container = target as Record<string | number, unknown>;
  container[key] ??= /^\d+$/.test(rest[0]!) ? [] : {};
  setAt(container[key] as Record<string, unknown>, rest, value);
}

/** The form field a Problem Details pointer names (`/data/claims/0/about/1` → `claims/0/about`), if any. */
export function fieldOfPointer(type: EventType, pointer: string): string | undefined {
  if (!pointer.startsWith('/data/')) return undefined;
  const rest = pointer.slice('/data/'.length);
  return EVENT_FORMS[type].fields.map((field) => field.path).find((path) => rest === path || rest.startsWith(`${path}/`));
}
