import { z } from 'zod';
import type { Tenant } from '../../db/tenants.ts';
import type { User } from '../../db/users.ts';

/** Wire shapes shared by the auth routes (snake_case on the wire). */
export const whoAmIJson = z.object({
  user: z.object({ id: z.uuid(), email: z.string(), role: z.enum(['owner', 'staff']), tenant_id: z.uuid() }),
  tenant: z.object({ id: z.uuid(), name: z.string() }),
  via: z.enum(['session', 'token']),
  /** Send back in X-CSRF-Token on cookie-authenticated writes; null for bearer tokens. */
  csrf_token: z.string().nullable(),
});

export type WhoAmIJson = z.output<typeof whoAmIJson>;

export function whoAmI(
  user: User,
  tenant: Tenant,
  via: 'session' | 'token',
  csrfToken: string | null,
): WhoAmIJson {
  return {
    user: { id: user.id, email: user.email, role: user.role, tenant_id: user.tenantId },
    tenant: { id: tenant.id, name: tenant.name },
    via,
    csrf_token: csrfToken,
  };
}
