import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DataFolderInUseError, LOCK_FILE, lockDataFolder } from './data-folder-lock.ts';

const folder = () => mkdtempSync(join(tmpdir(), 'rtl-lock-'));

describe('the data folder lock', () => {
  it('holds our pid, refuses a second open in this process, and is gone once released', () => {
    const dir = folder();
    const lock = lockDataFolder(dir);
    expect(readFileSync(join(dir, LOCK_FILE), 'utf8').trim()).toBe(String(process.pid));
    expect(() => lockDataFolder(dir)).toThrow(DataFolderInUseError);
    lock.release();
    expect(existsSync(join(dir, LOCK_FILE))).toBe(false);
    lockDataFolder(dir).release();
  });

  it('refuses a folder a live process owns, naming it', () => {
    const dir = folder();
    // The parent of this test process is alive for as long as the test runs.
    writeFileSync(join(dir, LOCK_FILE), `${process.ppid}\n`);
    expect(() => lockDataFolder(dir)).toThrow(new RegExp(`in use by process ${process.ppid}`));
    expect(readFileSync(join(dir, LOCK_FILE), 'utf8').trim()).toBe(String(process.ppid));
  });

  it.each([
    [
      'a process that is gone',
      () => Number(spawnSync(process.execPath, ['-e', 'console.log(process.pid)']).stdout),
    ],
    ['our own pid, from a previous life (a restarted pid 1)', () => process.pid],
    ['garbage', () => 'not a pid'],
  ])('takes over a lock left by %s', (_what, owner) => {
    const dir = folder();
    writeFileSync(join(dir, LOCK_FILE), `${owner()}\n`);
    const lock = lockDataFolder(dir);
    expect(readFileSync(join(dir, LOCK_FILE), 'utf8').trim()).toBe(String(process.pid));
    lock.release();
  });
});
