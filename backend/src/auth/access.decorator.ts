// Every route declares who may call it; the guard refuses routes that do not.
import { SetMetadata } from '@nestjs/common';
import type { Role } from './scope';

export interface AccessRule {
  /** Anyone, signed in or not (login, health). */
  public?: boolean;
  /** Roles allowed; 'any' = every signed-in role except screen tokens unless listed. */
  roles: Role[] | 'any-user';
}

export const ACCESS_KEY = 'access-rule';

export const Access = (rule: AccessRule) => SetMetadata(ACCESS_KEY, rule);
export const Public = () => Access({ public: true, roles: [] });
/** Aggregates readable by users and by wall-screen tokens. */
export const AggregatesAccess = () => Access({ roles: ['admin', 'province', 'unit', 'county', 'screen'] });
export const AnyUser = () => Access({ roles: 'any-user' });
export const AdminOnly = () => Access({ roles: ['admin'] });

export const BEFORE_PASSWORD_CHANGE_KEY = 'before-password-change';
/** Open to a principal who still holds a one-time initial password (changing it, me, logout); every other route refuses them. */
export const AllowBeforePasswordChange = () => SetMetadata(BEFORE_PASSWORD_CHANGE_KEY, true);
