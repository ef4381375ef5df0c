import { ApiProperty, ApiSchema } from '@nestjs/swagger';
import { STORY_EVENT_TYPES, type StoryEventType } from '@newsroom/domain';
import type { StoryTimeline, TimelineEntryReadModel } from '@newsroom/projections';
import { PositionField, RevisionField, TextField, TimeField } from '../../openapi/read-fields.decorators';

/** Where an event sits in the log, and who recorded it when: what the timeline, the history and the live feed all show. */
export abstract class RecordedEventDto {
  @RevisionField()
  readonly revision!: number;

  @PositionField()
  readonly position!: string;

  @ApiProperty({ enum: STORY_EVENT_TYPES, enumName: 'StoryEventType' })
  readonly type!: StoryEventType;

  @TimeField('When the ledger recorded it')
  readonly recordedAt!: string;

  @TextField('Who posted it: token:<12 hex of the token’s SHA-256>')
  readonly recordedBy!: string;
}

@ApiSchema({ name: 'TimelineEntry', description: 'One event of the story: when it happened in the world, when the ledger recorded it' })
export class TimelineEntryDto extends RecordedEventDto implements TimelineEntryReadModel {
  @TextField('The report, source or company the event is about')
  readonly subject!: string;

  @TimeField('When it happened in the world (null for a citation, which carries no time of its own)', { nullable: true })
  readonly happenedAt!: string | null;
}

@ApiSchema({ name: 'StoryTimeline' })
export class StoryTimelineDto implements StoryTimeline {
  @TextField('The story')
  readonly storyId!: string;

  @ApiProperty({ type: () => TimelineEntryDto, isArray: true, description: 'In recording order, or by world time with ?order=happened' })
  readonly events!: TimelineEntryDto[];
}
