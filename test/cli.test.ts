import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const BIN = join(import.meta.dirname, '..', 'bin', 'retailos.js');

function retailos(args: string[], env: Record<string, string> = {}) {
  const r = spawnSync(process.execPath, [BIN, ...args], {
    env: { PATH: process.env['PATH'] ?? '', LOG_LEVEL: 'warn', ...env },
    encoding: 'utf8',
    timeout: 240_000,
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

describe('retailos CLI', () => {
  it('lists every command and the configuration in --help', () => {
    const r = retailos(['--help']);
    expect(r.code).toBe(0);
    for (const cmd of ['start', 'serve', 'worker', 'migrate', 'user', 'token'])
      expect(r.out).toMatch(new RegExp(`\\n\\s+${cmd}\\b`));
    expect(r.out).toContain('DATABASE_URL');
  });

  it('has help for sub-commands', () => {
    const r = retailos(['user', 'create', '--help']);
    expect(r.code).toBe(0);
    expect(r.out).toContain('--email');
  });

  it('refuses a bad setting by name before touching anything, exit 2', () => {
    const r = retailos(['migrate'], {
      PORT: 'eighty',
      RETAILOS_DATA_DIR: mkdtempSync(join(tmpdir(), 'rtl-cli-')),
    });
    expect(r.code).toBe(2);
    expect(r.err).toContain('PORT="eighty"');
  });

  it('migrates an embedded database, creates a user and a token for it', { timeout: 300_000 }, () => {
    const dir = mkdtempSync(join(tmpdir(), 'rtl-cli-'));
    const env = { RETAILOS_DATA_DIR: dir };
    expect(retailos(['migrate'], env).code).toBe(0);
    const user = retailos(
      ['user', 'create', '--email', 'ops@example.com', '--password', 'correct-horse-battery'],
      env,
    );
    expect(user.code).toBe(0);
    expect(user.out).toContain('created owner ops@example.com');
    const token = retailos(['token', 'create', '--email', 'ops@example.com', '--name', 'script'], env);
    expect(token.code).toBe(0);
    expect(token.out.trim()).toMatch(/^rtl_[A-Za-z0-9_-]{20,}$/);
    const again = retailos(
      ['user', 'create', '--email', 'ops@example.com', '--password', 'correct-horse-battery'],
      env,
    );
    expect(again.code).toBe(1);
    expect(again.err).toContain('duplicate_email');
  });
});

describe('retailos serve', () => {
  it('serves, then drains and exits 0 on SIGTERM', { timeout: 300_000 }, async () => {
    const { spawn } = await import('node:child_process');
    const dir = mkdtempSync(join(tmpdir(), 'rtl-serve-'));
    const child = spawn(process.execPath, [BIN, 'serve'], {
      env: {
        PATH: process.env['PATH'] ?? '',
        PORT: '0',
        LOG_LEVEL: 'warn',
        RETAILOS_DATA_DIR: dir,
        RETAILOS_DEMO_SHOPIFY: 'off',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    const url = await new Promise<string>((resolve, reject) => {
      child.once('exit', (code) => reject(new Error(`serve exited early with ${code}`)));
      child.stdout.on('data', (d: Buffer) => {
        out += d.toString();
        const m = /Retailos is running: (http:\/\/\S+)/.exec(out);
        if (m?.[1]) resolve(m[1]);
      });
    });
    expect((await fetch(`${url}/healthz`)).status).toBe(200);
    child.removeAllListeners('exit');
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    // The one-time password is printed to the terminal (stderr), not to stdout, where the JSON log goes.
    const password =
      /Log in as admin@retailos\.local\n {2}password \(generated, shown only this once\): (\S{12,})/.exec(
        err,
      )?.[1];
    expect(password, err).toBeDefined();
    expect(out).not.toContain(password);
    expect(out).not.toContain('Log in as');
  });
});
