import { z } from 'zod';
import type { CoreDeps } from '../deps.ts';
import { insertApiToken, type ApiToken } from '../db/api-tokens.ts';
import { getTenant, insertTenant } from '../db/tenants.ts';
import { rethrowConstraint } from './unique.ts';
import {
  countUsers,
  findUserByEmail,
  insertUser,
  lockFirstOwner,
  type User,
  type UserRole,
} from '../db/users.ts';
import { hashPassword, type ScryptParams } from './auth/password.ts';
import { hashSecret, newApiToken, newSecret } from './auth/secrets.ts';
import { CoreError } from './errors.ts';

/** What creating users and tokens needs; `scrypt` lets tests use cheaper parameters. */
export type AccountDeps = Pick<CoreDeps, 'db' | 'clock' | 'randomBytes'> & { scrypt?: ScryptParams };

export const MIN_PASSWORD_LENGTH = 12;

export type NewUserInput = {
  email: string;
  password: string;
  role: UserRole;
} & ({ tenantId: string } | { tenantName: string });

function checkCredentials(email: string, password: string): void {
  if (!z.email().safeParse(email).success) {
    throw new CoreError('invalid', 'validation_failed', 'email is not a valid address', { field: 'email' });
  }
  if (password.length < MIN_PASSWORD_LENGTH) {
    const message = `password must have at least ${MIN_PASSWORD_LENGTH} characters`;
    throw new CoreError('invalid', 'validation_failed', message, { field: 'password' });
  }
}

/** Creates a user in an existing tenant (`tenantId`) or in a new one (`tenantName`). For the CLI too. */
export async function createUser(deps: AccountDeps, input: NewUserInput): Promise<User> {
  checkCredentials(input.email, input.password);
  const passwordHash = await hashPassword(input.password, deps.randomBytes, deps.scrypt);
  const now = deps.clock.now();
  return deps.db
    .transaction(async (tx) => {
      const tenantId =
        'tenantId' in input ? input.tenantId : (await insertTenant(tx, input.tenantName, now)).id;
      if ('tenantId' in input && !(await getTenant(tx, tenantId))) {
        throw new CoreError('not_found', 'not_found', `tenant ${tenantId} does not exist`, {
          entity: 'tenant',
          id: tenantId,
        });
      }
      return insertUser(tx, { tenantId, email: input.email, passwordHash, role: input.role }, now);
    })
    .catch(rethrowConstraint);
}

export interface IssuedToken {
  /** Shown once; only its hash is stored. */
  token: string;
  apiToken: ApiToken;
}

export type NewTokenInput = { name: string } & ({ tenantId: string; userId: string } | { email: string });

async function resolveOwner(
  deps: AccountDeps,
  input: NewTokenInput,
): Promise<{ tenantId: string; userId: string }> {
  if (!('email' in input)) return { tenantId: input.tenantId, userId: input.userId };
  const user = await findUserByEmail(deps.db, input.email);
  if (!user)
    throw new CoreError('not_found', 'not_found', `no user with email ${input.email}`, { entity: 'user' });
  return { tenantId: user.tenantId, userId: user.id };
}

/** Issues an API token for a user (by id within a tenant, or by email for the CLI). */
export async function createApiToken(deps: AccountDeps, input: NewTokenInput): Promise<IssuedToken> {
  const owner = await resolveOwner(deps, input);
  const token = newApiToken(deps.randomBytes);
  const apiToken = await insertApiToken(
    deps.db,
    { ...owner, name: input.name, tokenHash: hashSecret(token) },
    deps.clock.now(),
  ).catch(rethrowConstraint);
  return { token, apiToken };
}

export type BootstrapResult =
  | { created: false }
  | { created: true; tenantId: string; userId: string; email: string; generatedPassword: string | undefined };

export interface BootstrapConfig {
  adminEmail: string;
  adminPassword?: string | undefined;
}

/**
 * On first start (no users at all) creates a tenant and its owner from the configured email and
 * password, or with a generated password that is returned so main.ts prints it once. Safe when
 * several processes start together: they serialise on an advisory lock and only the first creates.
 */
export async function bootstrapOwner(deps: AccountDeps, config: BootstrapConfig): Promise<BootstrapResult> {
  if ((await countUsers(deps.db)) > 0) return { created: false };
  const generated = config.adminPassword ? undefined : newSecret(deps.randomBytes, 18);
  const password = config.adminPassword ?? (generated as string);
  checkCredentials(config.adminEmail, password);
  const passwordHash = await hashPassword(password, deps.randomBytes, deps.scrypt);
  const now = deps.clock.now();
  return deps.db.transaction(async (tx): Promise<BootstrapResult> => {
    await lockFirstOwner(tx);
    if ((await countUsers(tx)) > 0) return { created: false }; // another process won the race
    const tenant = await insertTenant(tx, 'Default', now);
    const user = await insertUser(
      tx,
      { tenantId: tenant.id, email: config.adminEmail, passwordHash, role: 'owner' },
      now,
    );
    return {
      created: true,
      tenantId: tenant.id,
      userId: user.id,
      email: user.email,
      generatedPassword: generated,
    };
  });
}
