import { type FormEvent, type ReactNode, useCallback, useEffect, useRef, useState } from 'react';
import { Link } from 'wouter';
import { ApiError, apiRequest, describeError } from '../api/api.client';
import { type RecordedAnswer, SOURCE_KINDS, type StoryReadModel } from '../api/read-shapes';
import { can, useSession } from '../session/session';
import { EVENT_FORMS, EVENT_TYPES, type EventType, eventData, type FieldSpec, fieldOfPointer } from './event-forms';

type Outcome =
  | { readonly kind: 'none' }
  | { readonly kind: 'recorded'; readonly recorded: RecordedAnswer }
  | { readonly kind: 'stale' }
  | { readonly kind: 'refused'; readonly message: string; readonly fields: Readonly<Record<string, string>> };

/** A key per submission: a double click or a retry after a lost answer records once. */
function newIdempotencyKey(): string {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  // randomUUID needs a secure context: a page opened over plain http on another host has none.
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('');
}

function defaultsFor(type: EventType): Record<string, string> {
  const now = new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
  const values: Record<string, string> = {};
  for (const field of EVENT_FORMS[type].fields) {
    if (field.kind === 'time') values[field.path] = now;
    if (field.kind === 'language') values[field.path] = 'en';
    if (field.kind === 'source-kind') values[field.path] = 'anonymous';
  }
  return values;
}

/** Records one fact: the catalogue's fields for the chosen type, the api's refusals shown beside the fields they name. */
export function RecordPage({ storyId: fixedStoryId }: { storyId?: string }): ReactNode {
  const { session } = useSession();
  const [storyId, setStoryId] = useState(fixedStoryId ?? '');
  const [type, setType] = useState<EventType>(fixedStoryId === undefined ? 'ReportPublished' : 'CompanyDenied');
  const [values, setValues] = useState<Record<string, string>>(() => defaultsFor(fixedStoryId === undefined ? 'ReportPublished' : 'CompanyDenied'));
  // The revision the form was opened at: sent as If-Match, so a story changed meanwhile is not written over blindly.
  const [revision, setRevision] = useState<number | null>(null);
  const [outcome, setOutcome] = useState<Outcome>({ kind: 'none' });
  const [busy, setBusy] = useState(false);
  const idempotencyKey = useRef(newIdempotencyKey());
  const readsStories = can(session, 'read');

  const loadRevision = useCallback(async () => {
    if (fixedStoryId === undefined || !readsStories) return;
    try {
      const { data } = await apiRequest<StoryReadModel>(`/stories/${encodeURIComponent(fixedStoryId)}`, { token: session.token });
      setRevision(data.revision);
    } catch (failure) {
      setOutcome({ kind: 'refused', message: describeError(failure), fields: {} });
    }
  }, [fixedStoryId, readsStories, session.token]);

  useEffect(() => {
    void loadRevision();
  }, [loadRevision]);

  function chooseType(next: EventType): void {
    setType(next);
    setValues(defaultsFor(next));
    setOutcome({ kind: 'none' });
    idempotencyKey.current = newIdempotencyKey();
  }

  async function submit(event: FormEvent<HTMLFormElement>): Promise<void> {
    event.preventDefault();
    if (busy) return;
    setBusy(true);
    const target = storyId.trim();
    try {
      const { data } = await apiRequest<RecordedAnswer>(`/stories/${encodeURIComponent(target)}/events`, {
        token: session.token,
        method: 'POST',
        body: { type, data: eventData(type, values) },
        headers: {
          'idempotency-key': idempotencyKey.current,
          'x-newsroom-tool': 'newsroom-desk',
          ...(revision === null ? {} : { 'if-match': `"${revision}"` }),
        },
      });
      setOutcome({ kind: 'recorded', recorded: data });
      if (revision !== null) setRevision(data.revision);
      idempotencyKey.current = newIdempotencyKey();
    } catch (failure) {
      if (failure instanceof ApiError) {
        // Answered: nothing was recorded, so the next submission is a new one.
        idempotencyKey.current = newIdempotencyKey();
        if (failure.status === 412) setOutcome({ kind: 'stale' });
        else {
          const fields: Record<string, string> = {};
          const general: string[] = [];
          for (const error of failure.problem.errors ?? []) {
            const pointer = 'pointer' in error ? error.pointer : '';
            const field = fieldOfPointer(type, pointer);
            if (field !== undefined) fields[field] = fields[field] === undefined ? error.detail : `${fields[field]}; ${error.detail}`;
            else general.push(pointer === '' ? error.detail : `${pointer}: ${error.detail}`);
          }
          const named = Object.keys(fields).length;
          // Field errors stand beside their fields; the note above the button only points to them.
          const message =
            named > 0 && general.length === 0
              ? `the api refused ${named === 1 ? 'a field' : `${named} fields`}: see the message${named === 1 ? '' : 's'} beside ${named === 1 ? 'it' : 'them'}.`
              : [failure.problem.detail ?? failure.message, ...general].join(' ');
          setOutcome({ kind: 'refused', message: failure.problem.code === undefined ? message : `${message} (${failure.problem.code})`, fields });
        }
      } else {
        // No answer: the same key makes a retry safe.
        setOutcome({ kind: 'refused', message: describeError(failure), fields: {} });
      }
    } finally {
      setBusy(false);
    }
  }

  const fieldErrors = outcome.kind === 'refused' ? outcome.fields : {};
  return (
    <>
      <h1>Record a fact{fixedStoryId === undefined ? '' : ` on ${fixedStoryId}`}</h1>
      {fixedStoryId === undefined ? null : (
        <p>
          <Link href={`/stories/${encodeURIComponent(fixedStoryId)}`}>Back to the story</Link>
          {revision === null ? null : <span className="muted"> · the form records on revision {revision}</span>}
        </p>
      )}
      <form className="record" onSubmit={(event) => void submit(event)} noValidate aria-label={EVENT_FORMS[type].title}>
        {fixedStoryId === undefined ? (
          <div className="field">
            <label htmlFor="story-id">Story id</label>
            <input id="story-id" name="storyId" value={storyId} onChange={(event) => setStoryId(event.target.value)} aria-describedby="story-id-help" />
            <p id="story-id-help" className="help">
              A slug: letters, digits, “-”, “_”, “.”. A new story starts with a published report.
            </p>
          </div>
        ) : null}
        <div className="field">
          <label htmlFor="event-type">What happened</label>
          <select id="event-type" name="type" value={type} onChange={(event) => chooseType(event.target.value as EventType)}>
            {EVENT_TYPES.map((candidate) => (
              <option key={candidate} value={candidate}>
                {EVENT_FORMS[candidate].title} ({candidate})
              </option>
            ))}
          </select>
        </div>
        <fieldset>
          <legend>{EVENT_FORMS[type].title}</legend>
          {EVENT_FORMS[type].fields.map((field) => (
            <Field
              key={`${type}-${field.path}`}
              field={field}
              value={values[field.path] ?? ''}
              lang={field.kind === 'long' ? textLanguage(values.language) : undefined}
              error={fieldErrors[field.path]}
              onChange={(value) => setValues((current) => ({ ...current, [field.path]: value }))}
            />
          ))}
        </fieldset>
        <button type="submit" disabled={busy}>
          {busy ? 'Recording…' : 'Record'}
        </button>
        <Outcome outcome={outcome} onReload={() => void loadRevision().then(() => setOutcome({ kind: 'none' }))} />
      </form>
    </>
  );
}

/** The language a statement is typed in, when the form's language field holds a plausible tag. */
function textLanguage(tag: string | undefined): string | undefined {
  return tag !== undefined && /^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$/.test(tag.trim()) ? tag.trim() : undefined;
}

function Field({
  field,
  value,
  lang,
  error,
  onChange,
}: {
  field: FieldSpec;
  value: string;
  lang: string | undefined;
  error: string | undefined;
  onChange(value: string): void;
}): ReactNode {
  const id = `field-${field.path.replaceAll('/', '-')}`;
  const described = [field.help === undefined ? null : `${id}-help`, error === undefined ? null : `${id}-error`].filter((part) => part !== null).join(' ');
  const common = {
    id,
    name: field.path,
    value,
    'aria-invalid': error === undefined ? undefined : true,
    'aria-describedby': described === '' ? undefined : described,
    'data-pointer': `/data/${field.path}`,
  };
  return (
    <div className={`field${error === undefined ? '' : ' invalid'}`}>
      <label htmlFor={id}>
        {field.label}
        {field.optional === true ? <span className="muted"> (optional)</span> : null}
      </label>
      {field.kind === 'long' ? (
        <textarea {...common} lang={lang} rows={3} onChange={(event) => onChange(event.target.value)} />
      ) : field.kind === 'source-kind' ? (
        <select {...common} onChange={(event) => onChange(event.target.value)}>
          {SOURCE_KINDS.map((kind) => (
            <option key={kind} value={kind}>
              {kind}
            </option>
          ))}
        </select>
      ) : (
        <input {...common} inputMode={field.kind === 'count' ? 'numeric' : undefined} onChange={(event) => onChange(event.target.value)} />
      )}
      {field.help === undefined ? null : (
        <p id={`${id}-help`} className="help">
          {field.help}
        </p>
      )}
      {error === undefined ? null : (
        <p id={`${id}-error`} className="field-error">
          {error}
        </p>
      )}
    </div>
  );
}

function Outcome({ outcome, onReload }: { outcome: Outcome; onReload(): void }): ReactNode {
  switch (outcome.kind) {
    case 'none':
      return <div role="status" className="outcome" />;
    case 'recorded':
      return (
        <div role="status" className="outcome recorded">
          Recorded: the story is at revision {outcome.recorded.revision}.{' '}
          <Link href={`/stories/${encodeURIComponent(outcome.recorded.storyId)}`}>See the story</Link> · <Link href="/">the board</Link>
        </div>
      );
    case 'stale':
      return (
        <div role="alert" className="outcome stale">
          The story changed: reload. Someone recorded on it after this form was opened, so nothing was recorded.{' '}
          <button type="button" onClick={onReload}>
            Reload the story
          </button>
        </div>
      );
    case 'refused':
      return (
        <div role="alert" className="outcome refused">
          Not recorded: {outcome.message}
        </div>
      );
  }
}
