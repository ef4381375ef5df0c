import { SetMetadata } from '@nestjs/common';
import type { Role } from './access-tokens';

export const ROLES_KEY = 'newsroom:roles';
export const PUBLIC_KEY = 'newsroom:public';

/** The route needs a token holding at least one of these roles. */
export const Roles = (...roles: Role[]) => SetMetadata(ROLES_KEY, roles);

/** The route answers without a token (the health check, and nothing else). */
export const Public = () => SetMetadata(PUBLIC_KEY, true);
