import { ApiProperty, ApiSchema } from '@nestjs/swagger';
import { RevisionField, TextField } from '../../openapi/read-fields.decorators';
import { RecordedEventDto } from '../../reads/dto/story-timeline.dto';
import type { HistoryEntry, StoryHistory } from '../audit.service';

@ApiSchema({ name: 'HistoryEntry', description: 'One event of the story’s stream, as recorded' })
export class HistoryEntryDto extends RecordedEventDto implements HistoryEntry {
  @ApiProperty({ type: String, format: 'uuid' })
  readonly eventId!: string;

  @TextField('The posting tool (X-Newsroom-Tool, else User-Agent)', { nullable: true })
  readonly tool!: string | null;

  @TextField('$correlationId: X-Correlation-Id, else the request’s id', { nullable: true })
  readonly correlationId!: string | null;

  @TextField('$causationId: the request’s id', { nullable: true })
  readonly causationId!: string | null;

  @ApiProperty({ type: 'object', additionalProperties: true, description: "The event's data as recorded: the shape of its type in the catalogue" })
  readonly data!: Record<string, unknown>;
}

@ApiSchema({ name: 'StoryHistory', description: "Every event of the story's stream, read from the event store" })
export class StoryHistoryDto implements StoryHistory {
  @TextField('The story')
  readonly storyId!: string;

  @RevisionField('Revision of the last event')
  readonly revision!: number;

  @ApiProperty({ type: () => HistoryEntryDto, isArray: true, description: 'In stream order' })
  readonly events!: HistoryEntryDto[];
}
