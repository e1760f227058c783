import { randomBytes } from 'node:crypto';
import type { Command } from 'commander';
import { systemClock } from '../clock.ts';
import type { Config } from '../config.ts';
import { createApiToken, createUser } from '../core/owner-bootstrap.ts';
import { CoreError } from '../core/errors.ts';
import { createLogger } from '../logger.ts';
import { openDatabase } from '../runtime.ts';
import type { Db } from '../db/db.ts';

type ConfigLoader = () => Config;

async function withDb<T>(loadConfig: ConfigLoader, fn: (db: Db) => Promise<T>): Promise<T> {
  const config = loadConfig();
  const db = await openDatabase(config, createLogger({ ...config, logLevel: 'warn' }));
  try {
    return await fn(db);
  } catch (err) {
    if (err instanceof CoreError) {
      process.stderr.write(`error: ${err.message} (${err.code})\n`);
      process.exitCode = 1;
      return undefined as T;
    }
    throw err;
  } finally {
    await db.close();
  }
}

/** `retailos user create` and `retailos token create`. */
export function registerUserCommands(program: Command, loadConfig: ConfigLoader): void {
  const user = program.command('user').description('manage users');
  user
    .command('create')
    .description('create a user: in a new tenant (--tenant NAME) or an existing one (--tenant-id ID)')
    .requiredOption('--email <email>', 'login email')
    .option('--password <password>', 'at least 12 characters; generated and printed when omitted')
    .option('--tenant <name>', 'name of a new tenant for this user', 'Default')
    .option('--tenant-id <id>', 'add the user to this existing tenant')
    .option('--role <role>', 'owner or staff', 'owner')
    .action(
      async (o: { email: string; password?: string; tenant: string; tenantId?: string; role: string }) => {
        await withDb(loadConfig, async (db) => {
          const password = o.password ?? randomBytes(18).toString('base64url');
          const role = o.role === 'staff' ? 'staff' : 'owner';
          const tenant = o.tenantId ? { tenantId: o.tenantId } : { tenantName: o.tenant };
          const u = await createUser(
            { db, clock: systemClock, randomBytes },
            { email: o.email, password, role, ...tenant },
          );
          process.stdout.write(`created ${u.role} ${u.email} in tenant ${u.tenantId}\n`);
          if (!o.password) process.stdout.write(`password (shown once): ${password}\n`);
        });
      },
    );
  const token = program.command('token').description('manage API tokens');
  token
    .command('create')
    .description("create an API token for a user (printed once; send it as 'Authorization: Bearer <token>')")
    .requiredOption('--email <email>', 'the user the token acts as')
    .requiredOption('--name <name>', 'what the token is for')
    .action(async (o: { email: string; name: string }) => {
      await withDb(loadConfig, async (db) => {
        const issued = await createApiToken(
          { db, clock: systemClock, randomBytes },
          { email: o.email, name: o.name },
        );
        process.stdout.write(`${issued.token}\n`);
      });
    });
}
