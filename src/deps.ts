import type { Logger } from 'pino';
import type { Clock } from './clock.ts';
import type { Config } from './config.ts';
import type { Db } from './db/db.ts';

/** What the composition root (main.ts) builds once and passes down. No DI container. */
export interface CoreDeps {
  db: Db;
  logger: Logger;
  clock: Clock;
  config: Config;
  /** Randomness is passed in too: tests can make ids and secrets reproducible. */
  randomBytes: (n: number) => Buffer;
}
