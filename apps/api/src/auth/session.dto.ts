import { ApiProperty, ApiSchema } from '@nestjs/swagger';
import { type Role, ROLES } from './access-tokens';

@ApiSchema({ name: 'Session', description: 'Who the token is, and what its roles allow' })
export class SessionDto {
  @ApiProperty({
    pattern: '^token:[0-9a-f]{12}$',
    description: 'Recorded as recordedBy: the first 12 hex of the token’s SHA-256, never the token',
    example: 'token:3f1c0a9b7e21',
  })
  readonly principal!: string;

  @ApiProperty({
    enum: ROLES,
    enumName: 'Role',
    isArray: true,
    description: 'writer: record facts; reader: the views; auditor: the views, history, as-of and admin',
  })
  readonly roles!: Role[];
}
