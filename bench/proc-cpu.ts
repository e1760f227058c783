// CPU time of processes on this machine, read from /proc/<pid>/stat (Linux), for the benchmarks.
import { readdirSync, readFileSync } from 'node:fs';

const TICKS_PER_SECOND = 100; // USER_HZ (getconf CLK_TCK) on Linux

export interface ProcCpu {
  /** The command name (the field in parentheses). */
  name: string;
  /** User + system seconds of the process itself. */
  ownS: number;
  /** User + system seconds of its children that have exited and been waited for. */
  reapedChildrenS: number;
}

/** The process's CPU, or undefined when it has exited (no /proc entry). */
export function procCpu(pid: number | string): ProcCpu | undefined {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
  const close = stat.lastIndexOf(')');
  // Fields after the name: state ppid … utime(14) stime(15) cutime(16) cstime(17), counted from 3.
  const [utime = 0, stime = 0, cutime = 0, cstime = 0] = stat
    .slice(close + 2)
    .split(' ')
    .slice(11, 15)
    .map(Number);
  return {
    name: stat.slice(stat.indexOf('(') + 1, close),
    ownS: (utime + stime) / TICKS_PER_SECOND,
    reapedChildrenS: (cutime + cstime) / TICKS_PER_SECOND,
  };
}

/** CPU seconds a live process has used (its own, not its children's). */
export function cpuSecondsOf(pid: number): number {
  const cpu = procCpu(pid);
  if (!cpu) throw new Error(`process ${pid} has exited: no CPU figure`);
  return cpu.ownS;
}

/** Every live process on this machine whose command name is `name`. */
export function processesNamed(name: string): ProcCpu[] {
  return readdirSync('/proc')
    .filter((d) => /^\d+$/.test(d))
    .flatMap((pid) => {
      const cpu = procCpu(pid);
      return cpu?.name === name ? [cpu] : [];
    });
}
