import { ApiProperty, ApiSchema } from '@nestjs/swagger';
import { CountField, TextField } from '../../openapi/read-fields.decorators';
import type { RunnerState, RunnerStatus } from '../../views/projection.runner';
import type { ProjectionsAnswer } from '../admin.controller';

const RUNNER_STATES: readonly RunnerState[] = Object.keys({
  idle: 0,
  'catching-up': 0,
  live: 0,
  reconnecting: 0,
  stopped: 0,
} satisfies Record<RunnerState, 0>) as RunnerState[];

@ApiSchema({ name: 'RunnerStatus', description: "The views' subscription to $all" })
export class RunnerStatusDto implements RunnerStatus {
  @ApiProperty({ enum: RUNNER_STATES, enumName: 'RunnerState' })
  readonly state!: RunnerState;

  @ApiProperty({ type: String, pattern: '^(-1|\\d{1,20})$', description: 'Commit position of the last event applied ("-1" before any)' })
  readonly position!: string;

  @ApiProperty({ type: String, pattern: '^(-1|\\d{1,20})$', description: 'Every story event up to this commit position has been applied' })
  readonly reached!: string;

  @ApiProperty({ description: 'The views applied everything written before the subscription went live, and it is live' })
  readonly caughtUp!: boolean;

  @CountField('Events applied since start')
  readonly eventsApplied!: number;

  @CountField('Subscriptions opened since start (1 + resubscriptions)')
  readonly subscriptions!: number;

  @TextField('The last drop’s error', { nullable: true })
  readonly lastError!: string | null;

  @CountField('Events the views could not fold (skipped)')
  readonly faults!: number;

  @TextField('The last of them', { nullable: true })
  readonly lastFault!: string | null;
}

@ApiSchema({ name: 'ProjectionsLag' })
export class ProjectionsLagDto {
  @ApiProperty({
    type: String,
    nullable: true,
    pattern: '^\\d{1,20}$',
    description: 'Commit position of the newest story event in $all (null: the store did not answer)',
  })
  readonly storyHead!: string | null;

  @ApiProperty({
    type: String,
    nullable: true,
    pattern: '^\\d{1,20}$',
    description: 'storyHead minus the views’ position, in commit-position units (0 when caught up; null: unknown)',
  })
  readonly positions!: string | null;
}

@ApiSchema({ name: 'ProjectionsStatus', description: "The live views' position and digest, and how far behind the log they are" })
export class ProjectionsStatusDto implements ProjectionsAnswer {
  @ApiProperty({ type: String, pattern: '^(-1|\\d{1,20})$', description: 'The commit position the views have reached ("-1" before any event)' })
  readonly position!: string;

  @ApiProperty({
    type: String,
    pattern: '^[0-9a-f]{64}$',
    description: "SHA-256 (hex) of the views' canonical text at that position (npm run replay -- --verify compares it)",
  })
  readonly digest!: string;

  @CountField('Stories in the views')
  readonly stories!: number;

  @CountField('Companies with a denial or confirmation')
  readonly companies!: number;

  @CountField('Story events folded')
  readonly events!: number;

  @ApiProperty()
  readonly caughtUp!: boolean;

  @ApiProperty({ enum: RUNNER_STATES, enumName: 'RunnerState' })
  readonly state!: RunnerState;

  @ApiProperty({ type: () => ProjectionsLagDto })
  readonly lag!: ProjectionsLagDto;

  @ApiProperty({ type: () => RunnerStatusDto })
  readonly runner!: RunnerStatusDto;
}
