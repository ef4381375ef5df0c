import { Inject, Injectable } from '@nestjs/common';
import { decide, foldStory, isIdentifier } from '@newsroom/domain';
import {
  ConcurrencyError,
  EventStoreAdapter,
  type ExpectedRevision,
  type NewEvent,
  NO_POSITION,
  type StoredStoryEvent,
  type WriteContext,
} from '@newsroom/event-store';
import { problem, ProblemException } from '../errors/problem-details';
import { deterministicEventId, isValidIdempotencyKey, requestHash } from './idempotency';
import { parseIfMatch, type RevisionPrecondition } from './if-match';
import { validatePostedEvents } from './posted-events.validator';

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

/**
 * The write path: shape, then the story's rules against its folded stream, then one
 * append at the revision that was read. Nothing is written for a refused post.
 */
@Injectable()
export class IntakeService {
  constructor(@Inject(EventStoreAdapter) private readonly store: EventStoreAdapter) {}

  async record(request: IntakeRequest): Promise<IntakeOutcome> {
    const { storyId } = request;
    if (!isIdentifier(storyId)) {
      throw new ProblemException(
        problem(400, 'INVALID_STORY_ID', 'Invalid story id', 'A story id is a slug: letters, digits, "-", "_", "." (1 to 128).'),
      );
    }
    const precondition = parseIfMatch(request.ifMatch);
    const key = request.idempotencyKey;
    if (key !== undefined && !isValidIdempotencyKey(key)) {
      throw new ProblemException(
        problem(400, 'INVALID_IDEMPOTENCY_KEY', 'Invalid Idempotency-Key header', 'An Idempotency-Key is 1 to 255 visible ASCII characters.'),
      );
    }
    const { events } = validatePostedEvents(request.body);
    const hash = key === undefined ? undefined : requestHash(request.body);
    const proposed: NewEvent[] = events.map((event, index) =>
      key === undefined ? event : { ...event, id: deterministicEventId(storyId, key, index) },
    );
    const context: WriteContext = {
      ...request.context,
      ...(key === undefined ? {} : { idempotencyKey: key, requestHash: hash }),
    };

    for (let attempt = 1; ; attempt++) {
      const history = await this.store.readStory(storyId);
      // A retry is recognised before the rules run: its events are already in the story,
      // and deciding again would refuse them as duplicates.
      if (key !== undefined) {
        const replayed = replayAnswer(storyId, history, proposed, key, hash!);
        if (replayed !== undefined) return { answer: replayed, replayed: true };
      }
      const current = history.length === 0 ? -1 : Number(history[history.length - 1]!.revision);
      checkPrecondition(precondition, current);
      decide(foldStory(history), events);
      const expected: ExpectedRevision = current === -1 ? 'no_stream' : current;
      try {
        const outcome = await this.store.appendToStory(storyId, proposed, expected, context);
        return { answer: { storyId, ...outcome }, replayed: false };
      } catch (error) {
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
}

function checkPrecondition(precondition: RevisionPrecondition | undefined, current: number): void {
  if (precondition === undefined) return;
  const holds = 'anyRevision' in precondition ? current >= 0 : precondition.revision === current;
  if (holds) return;
  throw new ProblemException(
    problem(412, 'REVISION_MISMATCH', 'The story is not at the expected revision', `The story is at revision ${current === -1 ? 'none (it has no events)' : current}.`, {
      expectedRevision: 'anyRevision' in precondition ? '*' : String(precondition.revision),
      currentRevision: current === -1 ? 'no_stream' : String(current),
    }),
  );
}

/**
 * The first answer to a post whose events are already in the story, rebuilt from the
 * events themselves; a different body under the same key is refused (422).
 */
function replayAnswer(
  storyId: string,
  history: readonly StoredStoryEvent[],
  proposed: readonly NewEvent[],
  key: string,
  hash: string,
): RecordedAnswer | undefined {
  const firstId = proposed[0]!.id;
  const first = history.find((event) => event.eventId === firstId);
  if (first === undefined) return undefined;
  const lastId = proposed[proposed.length - 1]!.id;
  const last = history.find((event) => event.eventId === lastId);
  if (first.metadata.requestHash !== hash || last === undefined || first.metadata.batchSize !== proposed.length) {
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
  return {
    storyId,
    revision: Number(last.revision),
    position: last.position === NO_POSITION ? '' : last.position.toString(),
    eventIds: proposed.map((event) => event.id!),
  };
}
