import { z } from 'zod';
import type { ApiToken } from '../../db/api-tokens.ts';
import type { RequestAuth } from '../auth/request-auth.ts';

export const apiTokenJson = z.object({
  id: z.uuid(),
  name: z.string(),
  user_id: z.uuid(),
  created_at: z.string(),
  last_used_at: z.string().nullable(),
  revoked_at: z.string().nullable(),
});

export function apiTokenToJson(t: ApiToken): z.output<typeof apiTokenJson> {
  return {
    id: t.id,
    name: t.name,
    user_id: t.userId,
    created_at: t.createdAt.toISOString(),
    last_used_at: t.lastUsedAt?.toISOString() ?? null,
    revoked_at: t.revokedAt?.toISOString() ?? null,
  };
}

/** Owners see and revoke every token of their tenant; staff only their own. */
export const tokenScope = (auth: RequestAuth): string | undefined =>
  auth.role === 'owner' ? undefined : auth.userId;
