import { type ValidationError, validateSync, type ValidatorOptions } from 'class-validator';
import { isStoryEventType, MAX_EVENTS_PER_POST, STORY_EVENT_TYPES, type StoryEvent, type StoryEventType } from '@newsroom/domain';
import { CompanyConfirmedDto, CompanyDeniedDto } from './dto/company-response.dto';
import { ReportCorrectedDto, ReportRetractedDto } from './dto/report-notice.dto';
import { ReportedClaimDto, ReportPublishedDto } from './dto/report-published.dto';
import { SourceCitedDto } from './dto/source-cited.dto';
import { compileVerdict, type Verdict } from './dto-verdict.compiler';
import { canonicalLanguageTag } from './language-tag';

/** One field that failed, located by a JSON Pointer into the posted body (RFC 6901). */
export interface FieldError {
  readonly pointer: string;
  readonly detail: string;
}

/** The posted body does not have the shape of one event or an array of them. */
export class RequestValidationError extends Error {
  constructor(readonly errors: readonly FieldError[]) {
    super(errors.length === 1 ? errors[0]!.detail : `${errors.length} fields are invalid`);
    this.name = 'RequestValidationError';
  }
}

type DtoClass = new () => object;

interface DtoEntry {
  readonly dto: DtoClass;
  /** Properties holding arrays of nested DTOs, built by hand (no class-transformer pass). */
  readonly nested?: Readonly<Record<string, DtoClass>>;
}

export const EVENT_DTOS: { readonly [T in StoryEventType]: DtoEntry } = {
  ReportPublished: { dto: ReportPublishedDto, nested: { claims: ReportedClaimDto } },
  SourceCited: { dto: SourceCitedDto },
  CompanyDenied: { dto: CompanyDeniedDto },
  CompanyConfirmed: { dto: CompanyConfirmedDto },
  ReportCorrected: { dto: ReportCorrectedDto },
  ReportRetracted: { dto: ReportRetractedDto },
};

/** Compiled once from the DTOs' decorators: the hot path for bodies that are valid. */
const VERDICTS = Object.fromEntries(Object.entries(EVENT_DTOS).map(([type, entry]) => [type, compileVerdict(entry.dto, entry.nested)])) as {
  readonly [T in StoryEventType]: Verdict;
};

/**
 * Built once: class-validator reads its options on every call, and dropping
 * `target`/`value` from the errors saves copying the body into them.
 */
const VALIDATOR_OPTIONS: ValidatorOptions = Object.freeze({
  whitelist: true,
  forbidNonWhitelisted: true,
  forbidUnknownValues: true,
  stopAtFirstError: true,
  validationError: { target: false, value: false },
});

/** Cap on the errors listed in one answer: enough to fix a post, bounded for a hostile one. */
const MAX_LISTED_ERRORS = 50;

const TYPE_LIST = STORY_EVENT_TYPES.join(', ');

/**
 * The intake's shape check: `{type, data}` or a non-empty array of them, each `data`
 * validated by its type's DTO (unknown fields refused). Returns the events as posted
 * (plain JSON), but for language tags in the registry's case, or throws
 * RequestValidationError listing every failure found.
 */
export function validatePostedEvents(body: unknown): { readonly events: StoryEvent[]; readonly isArray: boolean } {
  const errors: FieldError[] = [];
  if (Array.isArray(body)) {
    if (body.length === 0) throw new RequestValidationError([{ pointer: '', detail: 'the array holds no events' }]);
    if (body.length > MAX_EVENTS_PER_POST) {
      throw new RequestValidationError([{ pointer: '', detail: `at most ${MAX_EVENTS_PER_POST} events in one post, got ${body.length}` }]);
    }
    const events: StoryEvent[] = [];
    body.forEach((item, index) => {
      const event = validateEvent(item, `/${index}`, errors);
      if (event !== undefined) events.push(event);
    });
    if (errors.length > 0) throw new RequestValidationError(errors.slice(0, MAX_LISTED_ERRORS));
    return { events, isArray: true };
  }
  const event = validateEvent(body, '', errors);
  if (event === undefined) throw new RequestValidationError(errors.slice(0, MAX_LISTED_ERRORS));
  return { events: [event], isArray: false };
}

function validateEvent(item: unknown, pointer: string, errors: FieldError[]): StoryEvent | undefined {
  if (!isPlainObject(item)) {
    errors.push({ pointer, detail: 'an event must be an object {"type": ..., "data": {...}}' });
    return undefined;
  }
  const before = errors.length;
  for (const key of Object.keys(item)) {
    if (key !== 'type' && key !== 'data') errors.push({ pointer: `${pointer}/${escapePointer(key)}`, detail: `property ${key} should not exist` });
  }
  const { type, data } = item;
  if (!isStoryEventType(type)) {
    errors.push({ pointer: `${pointer}/type`, detail: `type must be one of ${TYPE_LIST}` });
  }
  if (!isPlainObject(data)) {
    errors.push({ pointer: `${pointer}/data`, detail: 'data must be an object' });
  }
  if (errors.length > before || !isStoryEventType(type) || !isPlainObject(data)) return undefined;

  // Most posts are valid: the compiled verdict accepts them at a fraction of validateSync's
  // cost. A refusal is rare and worth the full pass that says why.
  if (VERDICTS[type](data)) return { type, data: withCanonicalLanguage(data) } as unknown as StoryEvent;
  const entry = EVENT_DTOS[type];
  const failures = validateSync(toInstance(entry, data), VALIDATOR_OPTIONS);
  if (failures.length > 0) {
    collect(failures, `${pointer}/data`, errors);
    return undefined;
  }
  return { type, data: withCanonicalLanguage(data) } as unknown as StoryEvent;
}

/**
 * The stored event carries the tag in the registry's case (`EN` -> `en`), so views,
 * filters and auditors see one spelling per language. Copied only when it changes.
 */
function withCanonicalLanguage(data: Record<string, unknown>): Record<string, unknown> {
  const { language } = data;
  if (typeof language !== 'string') return data;
  const canonical = canonicalLanguageTag(language);
  return canonical === undefined || canonical === language ? data : { ...data, language: canonical };
}

/** class-validator's own verdict on one event's data: the reference the compiled verdicts are held to. */
export function classValidatorAccepts(type: StoryEventType, data: Record<string, unknown>): boolean {
  return validateSync(toInstance(EVENT_DTOS[type], data), VALIDATOR_OPTIONS).length === 0;
}

/**
 * class-validator needs class instances to find the decorators; a plain copy onto the
 * prototype is all that takes. Fastify's JSON parser already refuses `__proto__` and
 * `constructor.prototype` keys, so the copy cannot reach a prototype.
 */
function toInstance(entry: DtoEntry, data: Record<string, unknown>): object {
  const instance = Object.assign(new entry.dto(), data) as Record<string, unknown>;
  if (entry.nested !== undefined) {
    for (const [property, dto] of Object.entries(entry.nested)) {
      const value = instance[property];
      if (Array.isArray(value)) {
        instance[property] = value.map((element: unknown) => (isPlainObject(element) ? Object.assign(new dto(), element) : element));
      }
    }
  }
  return instance;
}

function collect(failures: readonly ValidationError[], pointer: string, errors: FieldError[]): void {
  for (const failure of failures) {
    const here = `${pointer}/${escapePointer(failure.property)}`;
    if (failure.constraints !== undefined) {
      for (const detail of Object.values(failure.constraints)) errors.push({ pointer: here, detail });
    }
    if (failure.children !== undefined && failure.children.length > 0) collect(failure.children, here, errors);
  }
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** RFC 6901: `~` and `/` in a key are escaped in a pointer. */
function escapePointer(key: string): string {
  return key.replace(/~/g, '~0').replace(/\//g, '~1');
}
