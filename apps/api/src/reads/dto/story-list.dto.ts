import { ApiProperty, ApiSchema } from '@nestjs/swagger';
import type { ClaimStatus } from '@newsroom/domain';
import type { StorySummary } from '@newsroom/projections';
import { CountField, PositionField, RevisionField, TextField, TextListField, TimeField } from '../../openapi/read-fields.decorators';
import type { StoryListAnswer } from '../reads.controller';

@ApiSchema({ name: 'ClaimStatusCounts', description: 'How many of the story’s claims are in each status; statuses with none are left out' })
export class ClaimStatusCountsDto implements Partial<Record<ClaimStatus, number>> {
  @CountField('Claims reported, with no stance yet', { optional: true })
  readonly reported?: number;

  @CountField('Claims some subjects deny while others have no stance', { optional: true })
  readonly disputed?: number;

  @CountField('Claims every subject denies', { optional: true })
  readonly denied?: number;

  @CountField('Claims every subject confirms', { optional: true })
  readonly confirmed?: number;

  @CountField('Claims one subject confirms and another denies', { optional: true })
  readonly contested?: number;

  @CountField('Claims whose every report was retracted', { optional: true })
  readonly retracted?: number;
}

// Compiles only while the class above documents a count for every claim status.
const _everyStatusDocumented: Record<ClaimStatus, unknown> = {} as Required<ClaimStatusCountsDto>;

@ApiSchema({ name: 'StorySummary', description: 'A story as the list shows it' })
export class StorySummaryDto implements StorySummary {
  @TextField('The story')
  readonly storyId!: string;

  @RevisionField('Revision of the story’s last event')
  readonly revision!: number;

  @PositionField('Commit position of the story’s last event')
  readonly position!: string;

  @TextField("The first report's headline")
  readonly headline!: string;

  @TextListField('Outlets of its reports')
  readonly outlets!: string[];

  @TextListField('BCP 47 tags of its reports')
  readonly languages!: string[];

  @TextListField('Claim subjects and responding companies')
  readonly companies!: string[];

  @ApiProperty({ type: () => ClaimStatusCountsDto })
  readonly claimStatuses!: ClaimStatusCountsDto;

  @TimeField('When the ledger recorded its first event')
  readonly firstRecordedAt!: string;

  @TimeField('When the ledger recorded its last event')
  readonly lastRecordedAt!: string;
}

@ApiSchema({ name: 'StoryListPage', description: 'A page of the story list, newest story first' })
export class StoryListPageDto implements StoryListAnswer {
  @ApiProperty({ type: () => StorySummaryDto, isArray: true })
  readonly items!: StorySummaryDto[];

  @ApiProperty({ type: String, nullable: true, description: 'Pass it back as ?cursor= for the next page; null on the last page (opaque)' })
  readonly nextCursor!: string | null;

  @PositionField('The views’ position the page was read at')
  readonly position!: string;
}
