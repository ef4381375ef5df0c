import { Controller, Get, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiProblem, ApiRateLimitProblem } from '../errors/problem-details.schema';
import { ROLES } from './access-tokens';
import type { AuthenticatedRequest } from './bearer-auth.guard';
import { SessionDto } from './session.dto';

@ApiTags('session')
@ApiBearerAuth()
@Controller('session')
export class SessionController {
  /** Any valid token, whatever its roles (no @Roles): a dashboard signs in with it and shows what the roles allow. */
  @Get()
  @ApiOperation({ summary: 'The token’s principal and roles', description: 'Any valid token; 401 tells a sign-in form the token is wrong.' })
  @ApiOkResponse({ type: SessionDto })
  @ApiProblem(401, 'No valid bearer token (WWW-Authenticate: Bearer)', ['UNAUTHENTICATED'])
  @ApiRateLimitProblem()
  session(@Req() request: AuthenticatedRequest): SessionDto {
    // The guard ran first: a route without @Public never runs without a principal.
    const principal = request.principal!;
    return { principal: principal.name, roles: ROLES.filter((role) => principal.roles.has(role)) };
  }
}
