import { ApiProperty, ApiSchema } from '@nestjs/swagger';
import { PositionField, RevisionField, TextField } from '../../openapi/read-fields.decorators';
import type { RecordedAnswer } from '../intake.service';

@ApiSchema({ name: 'RecordedAnswer', description: 'What a post recorded (the same answer again for a replayed Idempotency-Key)' })
export class RecordedAnswerDto implements RecordedAnswer {
  @TextField('The story')
  readonly storyId!: string;

  @RevisionField("The story's revision after the post: the revision of its last event (the ETag)")
  readonly revision!: number;

  @PositionField('Commit position of the last event: pass it as ?minPosition= to read your write')
  readonly position!: string;

  @ApiProperty({ type: String, format: 'uuid', isArray: true, description: 'The recorded events’ ids, in the order posted' })
  readonly eventIds!: string[];
}
