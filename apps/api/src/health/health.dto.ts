import { ApiProperty, ApiSchema } from '@nestjs/swagger';
import { CountField } from '../openapi/read-fields.decorators';

@ApiSchema({ name: 'StoreHealth' })
export class StoreHealthDto {
  @ApiProperty({ enum: ['up'] })
  readonly status!: 'up';

  @CountField('How long the store took to answer a ping, in ms')
  readonly latencyMs!: number;
}

@ApiSchema({ name: 'Health', description: 'The api answers and its event store is reachable' })
export class HealthDto {
  @ApiProperty({ enum: ['ok'] })
  readonly status!: 'ok';

  @ApiProperty({ type: () => StoreHealthDto })
  readonly store!: StoreHealthDto;
}
