import type { AnyJobDefinition } from './define.ts';
import { sessionsCleanupJob, type SessionsCleanupDeps } from './sessions-cleanup.ts';

/** What every job handler may use. */
export type JobDeps = SessionsCleanupDeps;

/** Every job this build runs. */
export const ALL_JOBS: readonly AnyJobDefinition<JobDeps>[] = [sessionsCleanupJob as AnyJobDefinition<JobDeps>];
