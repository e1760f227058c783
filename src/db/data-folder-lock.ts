import { closeSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import { join } from 'node:path';

/** In the data folder: the pid of the one process that has it open. */
export const LOCK_FILE = 'retailos.pid';

/** Another live process owns the data folder. */
export class DataFolderInUseError extends Error {
  override name = 'DataFolderInUseError';
  constructor(
    readonly dataDir: string,
    readonly pid: number,
  ) {
    super(
      `the data folder ${dataDir} is in use by process ${pid} (a running Retailos server?): stop it first, ` +
        'or run this against a Postgres server (DATABASE_URL) that both can share',
    );
  }
}

export interface DataFolderLock {
  /** The pid found in a lock left by a process that is gone (taken over), if there was one. */
  readonly tookOverFrom: number | undefined;
  release(): void;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: it exists, under another user. ESRCH: no such process.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function readOwner(path: string): number | undefined {
  try {
    const pid = Number(readFileSync(path, 'utf8').trim());
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}

/** Lock files this process holds (a second open in the same process is refused too). */
const held = new Set<string>();

/** Creates the lock file with our pid; false when it exists already. */
function create(path: string): boolean {
  let fd: number;
  try {
    fd = openSync(path, 'wx', 0o644);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw err;
  }
  try {
    writeSync(fd, `${process.pid}\n`);
  } finally {
    closeSync(fd);
  }
  return true;
}

/**
 * Embedded Postgres is one process per data folder: a second one opening it (say `retailos token
 * create` beside `retailos start`) corrupts it. Takes the folder's lock file or throws
 * DataFolderInUseError naming the live owner. A lock whose process is gone (kill -9, power loss) is
 * taken over, and so is one holding our own pid that this process did not take (a container's pid 1,
 * restarted). Released by
 * release() and, failing that, when this process exits.
 */
export function lockDataFolder(dataDir: string): DataFolderLock {
  const path = join(dataDir, LOCK_FILE);
  if (held.has(path)) throw new DataFolderInUseError(dataDir, process.pid);
  let tookOverFrom: number | undefined;
  for (let attempt = 0; !create(path); attempt++) {
    const owner = readOwner(path);
    if (owner !== undefined && owner !== process.pid && alive(owner)) {
      throw new DataFolderInUseError(dataDir, owner);
    }
    if (attempt >= 3) throw new Error(`could not take the lock ${path} (another process keeps taking it)`);
    tookOverFrom = owner;
    try {
      unlinkSync(path);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    }
  }
  held.add(path);
  let released = false;
  const release = (): void => {
    if (released) return;
    released = true;
    held.delete(path);
    process.removeListener('exit', release);
    if (readOwner(path) === process.pid) unlinkSync(path);
  };
  process.on('exit', release);
  return { tookOverFrom: tookOverFrom === process.pid ? undefined : tookOverFrom, release };
}
