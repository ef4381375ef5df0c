import { Inject, Injectable } from '@nestjs/common';
import { EventStoreAdapter } from '@newsroom/event-store';
import { foldStoryAsOf, type StoryReadModel } from '@newsroom/projections';
import { problem, ProblemException } from '../errors/problem-details';
import { answeringQueryErrors, storyNotFound } from '../views/read-params';

export interface HistoryEntry {
  readonly eventId: string;
  readonly revision: number;
  /** Commit position in `$all`, as a decimal string. */
  readonly position: string;
  readonly type: string;
  readonly recordedAt: string;
  readonly recordedBy: string;
  readonly tool: string | null;
  readonly correlationId: string | null;
  readonly causationId: string | null;
  readonly data: unknown;
}

export interface StoryHistory {
  readonly storyId: string;
  /** Revision of the last event. */
  readonly revision: number;
  readonly events: readonly HistoryEntry[];
}

export interface StoryCutoffQuery {
  readonly asOf?: string;
  readonly atRevision?: number;
}

/**
 * Audit reads the story's own stream, never the views: what the log says is the
 * answer to check the dashboards against.
 */
@Injectable()
export class AuditService {
  constructor(@Inject(EventStoreAdapter) private readonly store: EventStoreAdapter) {}

  async history(storyId: string): Promise<StoryHistory> {
    const events = await this.store.readStory(storyId);
    if (events.length === 0) throw storyNotFound(storyId);
    return {
      storyId,
      revision: Number(events[events.length - 1]!.revision),
      events: events.map((event) => ({
        eventId: event.eventId,
        revision: Number(event.revision),
        position: event.position.toString(),
        type: event.type,
        recordedAt: event.metadata.recordedAt,
        recordedBy: event.metadata.recordedBy,
        tool: event.metadata.tool ?? null,
        correlationId: event.metadata.$correlationId ?? null,
        causationId: event.metadata.$causationId ?? null,
        data: event.data,
      })),
    };
  }

  /** The story folded from its stream up to a recording time and/or a revision. */
  async storyAt(storyId: string, cutoff: StoryCutoffQuery): Promise<StoryReadModel> {
    const events = await this.store.readStory(storyId);
    if (events.length === 0) throw storyNotFound(storyId);
    const head = Number(events[events.length - 1]!.revision);
    // A revision the story has not reached is no state of it: the head would pass for it.
    if (cutoff.atRevision !== undefined && cutoff.atRevision > head) {
      throw new ProblemException(
        problem(
          404,
          'REVISION_NOT_FOUND',
          'The story has no such revision',
          `Story ${storyId} is at revision ${head}; revision ${cutoff.atRevision} does not exist.`,
          {
            storyId,
            revision: head,
            atRevision: cutoff.atRevision,
          },
        ),
      );
    }
    const state = answeringQueryErrors(() =>
      foldStoryAsOf(events, {
        ...(cutoff.asOf === undefined ? {} : { recordedAt: cutoff.asOf }),
        ...(cutoff.atRevision === undefined ? {} : { revision: cutoff.atRevision }),
      }),
    );
    if (state === undefined) {
      throw storyNotFound(storyId, `Story ${storyId} had no event recorded by ${cutoff.asOf ?? `revision ${cutoff.atRevision}`}.`);
    }
    return state;
  }
}
