import { type CanActivate, type ExecutionContext, Inject, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';
import { problem, ProblemException } from '../errors/problem-details';
import { AccessTokens, type Principal, type Role } from './access-tokens';
import { PUBLIC_KEY, ROLES_KEY } from './access.decorators';

export const ACCESS_TOKENS = Symbol('ACCESS_TOKENS');

/** The authenticated principal, set on the request by the guard. */
export type AuthenticatedRequest = FastifyRequest & { principal?: Principal };

/**
 * Global guard: every route needs a valid bearer token unless marked @Public(), and
 * the roles of @Roles() when it names any.
 */
@Injectable()
export class BearerAuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    @Inject(ACCESS_TOKENS) private readonly tokens: AccessTokens,
  ) {}

  canActivate(context: ExecutionContext): boolean {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_KEY, targets) === true) return true;
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    // authenticationHook has set the principal on arrival; authenticating here too keeps
    // the guard safe on its own (e.g. an app built without the hook).
    const principal = request.principal ?? authenticate(this.tokens, request.headers.authorization);
    request.principal = principal;
    const required = this.reflector.getAllAndOverride<Role[] | undefined>(ROLES_KEY, targets) ?? [];
    if (required.length > 0 && !required.some((role) => principal.roles.has(role))) {
      throw new ProblemException(problem(403, 'FORBIDDEN', 'Forbidden', `This route needs the role ${required.join(' or ')}.`, { requiredRoles: required }));
    }
    return true;
  }
}

/** The principal behind an `Authorization: Bearer <token>` header, or a 401 problem. */
export function authenticate(tokens: AccessTokens, header: string | undefined): Principal {
  if (header === undefined || header === '') {
    throw new ProblemException(problem(401, 'UNAUTHENTICATED', 'Unauthenticated', 'Send Authorization: Bearer <token>.'));
  }
  const match = /^Bearer[ ]+(\S+)[ ]*$/i.exec(header);
  if (match === null) {
    throw new ProblemException(problem(401, 'UNAUTHENTICATED', 'Unauthenticated', 'The Authorization header must be Bearer <token>.'));
  }
  const principal = tokens.principalOf(match[1]!);
  if (principal === undefined) {
    throw new ProblemException(problem(401, 'UNAUTHENTICATED', 'Unauthenticated', 'The token is not valid.'));
  }
  return principal;
}
