import { PermanentError } from '../../errors.ts';

/** The class of the error a batch throws when its import was stopped while it ran. */
export const IMPORT_STOPPED = 'import_stopped';

/**
 * A batch found its import no longer running (the store was disconnected, or the app uninstalled,
 * meanwhile): the batch rolls back and the step ends. The import already shows why it stopped.
 */
export const importStopped = (importId: string): PermanentError =>
  new PermanentError(`import ${importId} was stopped while a batch was being written`, IMPORT_STOPPED);

export const isImportStopped = (err: unknown): boolean =>
  err instanceof PermanentError && err.errorClass === IMPORT_STOPPED;
