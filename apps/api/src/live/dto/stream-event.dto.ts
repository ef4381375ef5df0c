import { ApiProperty, ApiSchema } from '@nestjs/swagger';
import { TextField } from '../../openapi/read-fields.decorators';
import { StorySummaryDto } from '../../reads/dto/story-list.dto';
import { RecordedEventDto } from '../../reads/dto/story-timeline.dto';
import type { FeedItem } from '../live-feed.service';

// The `data:` of each Server-Sent Event of GET /stream (OpenAPI 3.0 cannot type an event
// stream's frames, so they are listed as models of their own).

@ApiSchema({ name: 'StreamReady', description: '`event: ready`, first on every connection' })
export class StreamReadyDto {
  @ApiProperty({ type: String, pattern: '^(-1|\\d{1,20})$', description: "The views' position when the stream opened" })
  readonly position!: string;
}

@ApiSchema({ name: 'StreamReset', description: '`event: reset`: Last-Event-ID is older than the feed remembers; reload the state' })
export class StreamResetDto {
  @TextField('Why')
  readonly reason!: string;

  @ApiProperty({ type: String, pattern: '^(-1|\\d{1,20})$', description: "The views' position" })
  readonly position!: string;
}

@ApiSchema({ name: 'StreamStoryChange', description: '`event: story` (id `<position>.<revision>`): one event applied to the views' })
export class StreamStoryChangeDto extends RecordedEventDto implements FeedItem {
  @ApiProperty({ pattern: '^\\d{1,20}\\.\\d{1,20}$', description: 'The SSE id, for Last-Event-ID' })
  readonly id!: string;

  @TextField('The story')
  readonly storyId!: string;

  @ApiProperty({ type: () => StorySummaryDto, nullable: true, description: 'The story as the list shows it right after this event' })
  readonly story!: StorySummaryDto | null;
}
