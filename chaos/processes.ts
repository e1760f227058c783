// The real Retailos processes a chaos run drives and kills: on PGlite the single `retailos start`, on a
// Postgres server `retailos serve` and two `retailos worker`s on one fresh database (src/main.ts).
import { spawn, type ChildProcess } from 'node:child_process';
import { appendFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { NODE_FLAGS } from '../bin/launch.js';

const BIN = join(import.meta.dirname, '..', 'bin', 'retailos.js');

export type Engine = 'pglite' | 'postgres';
export type Role = 'start' | 'serve' | 'worker-1' | 'worker-2';

export const OWNER = { email: 'chaos@retailos.local', password: 'chaos-run-password-1' };

export interface ProcessSetup {
  dataDir: string;
  databaseUrl: string | undefined;
  port: number;
  shopOrigin: string;
  apiKey: string;
  apiSecret: string;
}

export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  if (typeof address !== 'object' || !address) throw new Error('no free port');
  return address.port;
}

function envOf(s: ProcessSetup, secretKey: string): Record<string, string> {
  return {
    PATH: process.env['PATH'] ?? '',
    PORT: String(s.port),
    HOST: '127.0.0.1',
    LOG_LEVEL: 'warn',
    LOG_FORMAT: 'json',
    RETAILOS_DATA_DIR: s.dataDir,
    RETAILOS_SECRET_KEY: secretKey, // one key for every process: the access token is sealed with it
    RETAILOS_ADMIN_EMAIL: OWNER.email,
    RETAILOS_ADMIN_PASSWORD: OWNER.password,
    SHOPIFY_API_KEY: s.apiKey,
    SHOPIFY_API_SECRET: s.apiSecret,
    SHOPIFY_SHOP_ORIGIN: s.shopOrigin,
    APP_URL: `http://127.0.0.1:${s.port}`,
    SHOPIFY_READ_ALL_ORDERS: 'true',
    ...(s.databaseUrl ? { DATABASE_URL: s.databaseUrl } : {}),
  };
}

interface Running {
  child: ChildProcess;
  exited: Promise<void>;
  output: () => string;
}

/** The Retailos processes of one run, each started, SIGKILLed and started again by its role. */
export class RetailosProcesses {
  readonly roles: readonly Role[];
  readonly url: string;
  private readonly running = new Map<Role, Running>();
  private readonly secretKey = randomBytes(32).toString('hex');
  /** Exits nobody asked for (a crash), with the process's last output. */
  readonly crashes: string[] = [];

  constructor(
    readonly engine: Engine,
    private readonly setup: ProcessSetup,
  ) {
    this.roles = engine === 'pglite' ? ['start'] : ['serve', 'worker-1', 'worker-2'];
    this.url = `http://127.0.0.1:${setup.port}`;
  }

  /** The role that answers HTTP. */
  get web(): Role {
    return this.engine === 'pglite' ? 'start' : 'serve';
  }

  isUp(role: Role): boolean {
    return this.running.has(role);
  }

  down(): Role[] {
    return this.roles.filter((r) => !this.running.has(r));
  }

  async startAll(): Promise<void> {
    for (const role of this.roles) await this.start(role);
  }

  /** Starts `role`; the web role is up once it prints that it runs. */
  async start(role: Role): Promise<void> {
    if (this.running.has(role)) return;
    const command = role.startsWith('worker') ? 'worker' : role;
    const child = spawn(process.execPath, [...NODE_FLAGS, BIN, command], {
      env: envOf(this.setup, this.secretKey),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    const keep = (d: Buffer) => (out = (out + d.toString()).slice(-20_000));
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    // CHAOS_LOG_DIR: every process's whole output kept in <dir>/<role>.log, to trace a failing seed.
    const logDir = process.env['CHAOS_LOG_DIR'];
    if (logDir) {
      const f = join(logDir, `${role}.log`);
      child.stdout?.on('data', (d: Buffer) => appendFileSync(f, d));
      child.stderr?.on('data', (d: Buffer) => appendFileSync(f, d));
    }
    const exited = new Promise<void>((resolve) =>
      child.once('exit', (code, signal) => {
        if (this.running.get(role)?.child === child) {
          this.running.delete(role);
          this.crashes.push(`${role} exited by itself (${code ?? signal}):\n${out.slice(-4000)}`);
        }
        resolve();
      }),
    );
    const running = { child, exited, output: () => out };
    this.running.set(role, running);
    if (role === 'serve' || role === 'start') await this.untilRunning(role, running);
  }

  private async untilRunning(role: Role, p: Running): Promise<void> {
    const deadline = Date.now() + 120_000;
    while (!/Retailos is running: http/.test(p.output())) {
      if (!this.running.has(role)) throw new Error(`${role} exited while starting:\n${p.output()}`);
      if (Date.now() > deadline) throw new Error(`${role} did not start within 120 s:\n${p.output()}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  /** kill -9: no drain, no cleanup. */
  async kill(role: Role): Promise<void> {
    const p = this.running.get(role);
    if (!p) return;
    this.running.delete(role);
    p.child.kill('SIGKILL');
    await p.exited;
  }

  /** SIGTERM to every process, then their exit codes (0: drained cleanly). */
  async stopAll(): Promise<Record<string, number | null>> {
    const codes: Record<string, number | null> = {};
    await Promise.all(
      [...this.running.entries()].map(async ([role, p]) => {
        this.running.delete(role);
        const code = new Promise<number | null>((resolve) => p.child.once('exit', (c) => resolve(c)));
        p.child.kill('SIGTERM');
        codes[role] = await code;
      }),
    );
    return codes;
  }

  /** kill -9 everything still running (a failed run's cleanup). */
  async killAll(): Promise<void> {
    for (const role of [...this.running.keys()]) await this.kill(role);
  }
}
