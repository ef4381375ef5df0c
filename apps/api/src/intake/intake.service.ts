import { Inject, Injectable } from '@nestjs/common';
import {
  decide,
  foldStory,
  IDENTIFIER_RULE,
  isBeyondClockSkew,
  isIdentifier,
  isStoryRuleError,
  type StoryEvent,
  type StoryState,
  worldTimeOf,
} from '@newsroom/domain';
import {
  ConcurrencyError,
  EventStoreAdapter,
  type ExpectedRevision,
  type NewEvent,
  NO_POSITION,
  type StoredStoryEvent,
  StreamDeletedError,
  type WriteContext,
} from '@newsroom/event-store';
import { problem, ProblemException } from '../errors/problem-details';
import { StoryAppender } from './append/story-appender';
import { bodyJsonHash, deterministicEventId, isValidIdempotencyKey, requestHash } from './idempotency';
import { parseIfMatch, type RevisionPrecondition } from './if-match';
import { INTAKE_OPTIONS, type IntakeSettings } from './intake.options';
import { type FieldError, RequestValidationError, validatePostedEvents } from './posted-events.validator';
import { type CachedStory, StoryStateCache } from './story-state.cache';

export interface IntakeRequest {
  readonly storyId: string;
  readonly body: unknown;
  readonly ifMatch?: string;
  readonly idempotencyKey?: string;
  /** Who and what is writing (recordedBy, tool, correlation and causation ids). */
  readonly context: Omit<WriteContext, 'idempotencyKey' | 'requestHash'>;
}

/** The 201 body. */
export interface RecordedAnswer {
  readonly storyId: string;
  /** The story's revision after the post: the revision of its last event. */
  readonly revision: number;
  /** Commit position of the last event, as a decimal string (for `?minPosition=`). */
  readonly position: string;
  readonly eventIds: readonly string[];
}

export interface IntakeOutcome {
  readonly answer: RecordedAnswer;
  /** True when an earlier post with the same Idempotency-Key had already written these events. */
  readonly replayed: boolean;
}

/**
 * Attempts of read, decide, append when the story moves under a post that named no
 * revision: the rules must be checked against the state the append lands on.
 */
const MAX_ATTEMPTS = 3;

/** Stories whose state the intake keeps between posts (a few MiB at most). */
const CACHED_STORIES = 10_000;

const NEW_STORY: CachedStory = { revision: -1, state: { status: 'empty' } };

/**
 * The write path: shape, then the story's rules against its folded stream, then one
 * append at the revision that was read. Nothing is written for a refused post.
 */
@Injectable()
export class IntakeService {
  private readonly cache = new StoryStateCache(CACHED_STORIES);

  constructor(
    @Inject(EventStoreAdapter) private readonly store: EventStoreAdapter,
    @Inject(StoryAppender) private readonly appender: StoryAppender,
    @Inject(INTAKE_OPTIONS) private readonly settings: IntakeSettings,
  ) {}

  async record(request: IntakeRequest): Promise<IntakeOutcome> {
    const { storyId } = request;
    if (!isIdentifier(storyId)) {
      throw new ProblemException(problem(400, 'INVALID_STORY_ID', 'Invalid story id', `A story id is ${IDENTIFIER_RULE}.`));
    }
    const precondition = parseIfMatch(request.ifMatch);
    const key = request.idempotencyKey;
    if (key !== undefined && !isValidIdempotencyKey(key)) {
      throw new ProblemException(
        problem(400, 'INVALID_IDEMPOTENCY_KEY', 'Invalid Idempotency-Key header', 'An Idempotency-Key is 1 to 255 visible ASCII characters.'),
      );
    }
    const { events, isArray } = validatePostedEvents(request.body);
    this.refuseFutureTimes(events, isArray);
    const hash = key === undefined ? undefined : requestHash(events);
    const proposed: NewEvent[] = events.map((event, index) => (key === undefined ? event : { ...event, id: deterministicEventId(storyId, key, hash!, index) }));
    const context: WriteContext = {
      ...request.context,
      ...(key === undefined ? {} : { idempotencyKey: key, requestHash: hash }),
    };

    // Without a key, a post can skip reading the stream; with one it cannot, as the read
    // is what recognises a retry.
    if (key === undefined) {
      const answer = await this.recordFromCache(storyId, events, proposed, precondition, context);
      if (answer !== undefined) return { answer, replayed: false };
    }

    for (let attempt = 1; ; attempt++) {
      const history = await this.store.readStory(storyId);
      // A retry is recognised before the rules run: its events are already in the story,
      // and deciding again would refuse them as duplicates. A key absent from the history
      // read here stays absent as long as the append below, at this history's revision,
      // succeeds: so one request at most is ever written under a key, and a post that
      // lost the race hears ConcurrencyError and comes back here to find the winner.
      if (key !== undefined) {
        const replayed = replayAnswer(storyId, history, key, hash!, request.body);
        if (replayed !== undefined) return { answer: replayed, replayed: true };
      }
      const current = history.length === 0 ? -1 : Number(history[history.length - 1]!.revision);
      checkPrecondition(precondition, current);
      const state = foldStory(history);
      decide(state, events);
      const expected: ExpectedRevision = current === -1 ? 'no_stream' : current;
      try {
        const outcome = await this.appender.appendToStory(storyId, proposed, expected, context);
        this.cache.set(storyId, { revision: outcome.revision, state: foldStory(events, state) });
        const replayed = key !== undefined && !(await this.wroteItself(storyId, outcome.revision - proposed.length + 1, context.causationId));
        return { answer: { storyId, ...outcome }, replayed };
      } catch (error) {
        if (error instanceof StreamDeletedError) this.cache.forget(storyId);
        // Another post landed first. Read again: it may have been this very post (a
        // concurrent retry), and without If-Match the rules get another look.
        if (!(error instanceof ConcurrencyError)) throw error;
        if (attempt >= MAX_ATTEMPTS) {
          if (precondition !== undefined) throw error;
          throw new ProblemException(
            problem(409, 'CONCURRENT_WRITES', 'The story kept changing', 'Other posts kept landing on this story; nothing was written. Retry.'),
          );
        }
      }
    }
  }

  /** World times further ahead of the api's clock than the tolerated skew: a 400 naming each field. */
  private refuseFutureTimes(events: readonly StoryEvent[], isArray: boolean): void {
    const now = this.settings.clock();
    const errors: FieldError[] = [];
    events.forEach((event, index) => {
      const world = worldTimeOf(event);
      if (world === undefined || !isBeyondClockSkew(world.time, now, this.settings.maxClockSkewMs)) return;
      errors.push({
        pointer: `${isArray ? `/${index}` : ''}/data/${world.field}`,
        detail: `${world.field} ${world.time} is in the future: more than ${describeSkew(this.settings.maxClockSkewMs)} after the api's clock (${now.toISOString()})`,
      });
    });
    if (errors.length > 0) throw new RequestValidationError(errors);
  }

  /**
   * Whether this post's append wrote the events starting at `firstRevision`. A keyed post
   * proposes the same ids as an identical post under the same key; when both append at
   * the same revision, the store writes the first and acknowledges the second as a retry
   * of it, alike. The causation id, one per request, tells them apart.
   */
  private async wroteItself(storyId: string, firstRevision: number, causationId: string): Promise<boolean> {
    const first = await this.store.readStoryEvent(storyId, firstRevision);
    // Nothing there: the story was deleted since, and nothing says another post wrote it.
    return first === undefined || first.metadata.$causationId === causationId;
  }

  /**
   * The fast path: decide against the state this process last saw and append at its
   * revision, without reading. Undefined sends the post down the reading path: nothing
   * cached, a precondition or rule that fails here (the cache may be behind), or a
   * store that has moved on. A story this process never saw is tried as a new one when
   * the post opens it; if it exists after all, the append's no_stream check says so.
   */
  private async recordFromCache(
    storyId: string,
    events: readonly StoryEvent[],
    proposed: readonly NewEvent[],
    precondition: RevisionPrecondition | undefined,
    context: WriteContext,
  ): Promise<RecordedAnswer | undefined> {
    const cached = this.cache.get(storyId) ?? (events[0]?.type === 'ReportPublished' ? NEW_STORY : undefined);
    if (cached === undefined || !preconditionHolds(precondition, cached.revision)) return undefined;
    let state: StoryState;
    try {
      decide(cached.state, events);
      state = foldStory(events, cached.state);
    } catch (error) {
      if (isStoryRuleError(error)) return undefined;
      throw error;
    }
    try {
      const outcome = await this.appender.appendToStory(storyId, proposed, cached.revision === -1 ? 'no_stream' : cached.revision, context);
      this.cache.set(storyId, { revision: outcome.revision, state });
      return { storyId, ...outcome };
    } catch (error) {
      if (error instanceof ConcurrencyError) {
        this.cache.forget(storyId);
        return undefined;
      }
      if (error instanceof StreamDeletedError) this.cache.forget(storyId);
      throw error;
    }
  }
}

function describeSkew(ms: number): string {
  if (ms % 3_600_000 === 0) return `${ms / 3_600_000} h`;
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${ms} ms`;
}

function preconditionHolds(precondition: RevisionPrecondition | undefined, current: number): boolean {
  if (precondition === undefined) return true;
  return 'anyRevision' in precondition ? current >= 0 : precondition.revision === current;
}

function checkPrecondition(precondition: RevisionPrecondition | undefined, current: number): void {
  if (precondition === undefined || preconditionHolds(precondition, current)) return;
  throw new ProblemException(
    problem(
      412,
      'REVISION_MISMATCH',
      'The story is not at the expected revision',
      `The story is at revision ${current === -1 ? 'none (it has no events)' : current}.`,
      {
        expectedRevision: 'anyRevision' in precondition ? '*' : String(precondition.revision),
        currentRevision: current === -1 ? 'no_stream' : String(current),
      },
    ),
  );
}

/**
 * The first answer to a post whose key is already in the story, rebuilt from the events it
 * recorded; another request under the same key is refused (422). The key is looked up in
 * the events' metadata rather than by event id, so that a post under the key is found
 * whatever its events were.
 */
function replayAnswer(storyId: string, history: readonly StoredStoryEvent[], key: string, hash: string, body: unknown): RecordedAnswer | undefined {
  const start = history.findIndex((event) => event.metadata.idempotencyKey === key);
  if (start === -1) return undefined;
  const first = history[start]!;
  const recorded = history.slice(start, start + first.metadata.batchSize);
  const stored = first.metadata.requestHash;
  // Posts recorded before the canonical comparison carry the digest of their JSON as sent.
  if (stored !== hash && stored !== bodyJsonHash(body)) {
    throw new ProblemException(
      problem(
        422,
        'IDEMPOTENCY_KEY_REUSED',
        'Idempotency-Key already used for another request',
        'This Idempotency-Key already recorded different events on this story; use a new key for a new post.',
        { idempotencyKey: key },
      ),
    );
  }
  const last = recorded[recorded.length - 1]!;
  return {
    storyId,
    revision: Number(last.revision),
    position: last.position === NO_POSITION ? '' : last.position.toString(),
    eventIds: recorded.map((event) => event.eventId),
  };
}
