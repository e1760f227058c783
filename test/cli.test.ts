import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const BIN = join(import.meta.dirname, '..', 'bin', 'retailos.js');

/** One line on stderr that says what went wrong: no Node stack trace. */
function expectOneLineError(r: { code: number | null; err: string }, message: RegExp) {
  expect(r.code, r.err).toBe(1);
  expect(r.err).toMatch(/^error: .+\n$/);
  expect(r.err).toMatch(message);
  expect(r.err).not.toMatch(/\n\s+at /);
}

/** A local port nothing listens on (it was free a moment ago). */
async function closedPort(): Promise<number> {
  const { createServer } = await import('node:net');
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  if (typeof address !== 'object' || !address) throw new Error('no port');
  return address.port;
}

/** The pid of a process that has exited. */
function deadPid(): number {
  const r = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], {
    encoding: 'utf8',
  });
  return Number(r.stdout);
}

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
    // A lock left by a process that is gone (kill -9) is taken over, then released on exit.
    const lock = join(dir, 'db', 'retailos.pid');
    writeFileSync(lock, `${deadPid()}\n`);
    const token = retailos(['token', 'create', '--email', 'ops@example.com', '--name', 'script'], env);
    expect(token.code, token.err).toBe(0);
    expect(existsSync(lock)).toBe(false);
    expect(token.out.trim()).toMatch(/^rtl_[A-Za-z0-9_-]{20,}$/);
    const again = retailos(
      ['user', 'create', '--email', 'ops@example.com', '--password', 'correct-horse-battery'],
      env,
    );
    expect(again.code).toBe(1);
    expect(again.err).toContain('duplicate_email');
  });
});

describe('retailos CLI errors are one line, exit 1', () => {
  it('import status without a token', () => {
    const r = retailos(['import', 'status', '--url', 'http://127.0.0.1:1']);
    expectOneLineError(r, /pass --token or set RETAILOS_TOKEN/);
  });

  it('import status against a server that is not running', async () => {
    const url = `http://127.0.0.1:${await closedPort()}`;
    const r = retailos(['import', 'status', '--url', url, '--token', 'rtl_x']);
    expectOneLineError(r, /cannot reach the Retailos server at http:\S+ \(ECONNREFUSED\): is it running/);
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
    // A token the server does not know: a one-line 401.
    expectOneLineError(
      retailos(['import', 'status', '--url', url, '--token', 'rtl_not_a_token']),
      /the server refused the token \(401\)/,
    );
    // The server owns the data folder: a second process is refused, naming it, and changes nothing.
    const env = { RETAILOS_DATA_DIR: dir };
    expectOneLineError(
      retailos(['token', 'create', '--email', 'admin@retailos.local', '--name', 'x'], env),
      new RegExp(`the data folder .* is in use by process ${String(child.pid)}`),
    );
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
    // Released on exit: the folder opens again.
    expect(existsSync(join(dir, 'db', 'retailos.pid'))).toBe(false);
    const token = retailos(['token', 'create', '--email', 'admin@retailos.local', '--name', 'x'], env);
    expect(token.code, token.err).toBe(0);
  });
});
