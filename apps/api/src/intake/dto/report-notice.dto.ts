import { MAX_NOTE_LENGTH, type ReportCorrectedData, type ReportRetractedData } from '@newsroom/domain';
import { Slug, Text, WorldTime } from './field.decorators';

export class ReportCorrectedDto implements ReportCorrectedData {
  @Slug('The corrected report')
  readonly reportId!: string;

  @Text("The outlet's correction notice", MAX_NOTE_LENGTH, { multiline: true })
  readonly correction!: string;

  @WorldTime('When the outlet corrected it')
  readonly correctedAt!: string;
}

export class ReportRetractedDto implements ReportRetractedData {
  @Slug('The retracted report')
  readonly reportId!: string;

  @Text('Why the outlet retracted it', MAX_NOTE_LENGTH, { multiline: true })
  readonly reason!: string;

  @WorldTime('When the outlet retracted it')
  readonly retractedAt!: string;
}
