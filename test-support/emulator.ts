import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

/** What the emulator prints on its SHOPIFY_EMULATOR_READY line. */
export interface EmulatorInfo {
  url: string;
  port: number;
  shopOriginTemplate: string;
  shops: { domain: string; origin: string }[];
  app: { apiKey: string; apiSecret: string };
  accessToken: string | null;
}

export interface RunningEmulator extends EmulatorInfo {
  /** POST/GET the emulator's control API (JSON). */
  control<T = unknown>(
    method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE',
    path: string,
    body?: unknown,
  ): Promise<T>;
  stop(): Promise<void>;
  /** The emulator's process (benchmarks read its CPU time). */
  pid: number;
}

const BIN = join(import.meta.dirname, '..', 'emulator', 'bin', 'shopify-emulator.js');

/**
 * Starts the emulator as a child process through its own bin, exactly as an outside user would: the
 * connector and its tests never import emulator code, they talk HTTP.
 */
export async function startEmulator(args: string[] = []): Promise<RunningEmulator> {
  const child = spawn(process.execPath, [BIN, '--port', '0', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  const info = await new Promise<EmulatorInfo>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`emulator exited with ${code}: ${stderr}`)));
    createInterface({ input: child.stdout as NodeJS.ReadableStream }).on('line', (line) => {
      if (line.startsWith('SHOPIFY_EMULATOR_READY ')) resolve(JSON.parse(line.slice(23)) as EmulatorInfo);
    });
  });
  return {
    ...info,
    control: controlClient(info.url),
    stop: () => stopChild(child),
    pid: child.pid as number,
  };
}

/**
 * A keep-alive socket the emulator closed while this process was busy (a long PGlite check blocks its
 * event loop past the server's 5 s idle timeout) fails the next request written on it with "other side
 * closed". A GET is sent once more on a fresh socket then; anything else, or a second failure, throws.
 */
async function controlFetch(url: string, init: RequestInit): Promise<Response> {
  try {
    return await fetch(url, init);
  } catch (err) {
    const code = ((err as Error).cause as { code?: string } | undefined)?.code;
    if (init.method !== 'GET' || code !== 'UND_ERR_SOCKET') throw err;
    return fetch(url, init);
  }
}

function controlClient(base: string): RunningEmulator['control'] {
  return async <T>(method: string, path: string, body?: unknown): Promise<T> => {
    const res = await controlFetch(`${base}/_emulator${path}`, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`emulator control ${method} ${path} → ${res.status}: ${text}`);
    return (text ? JSON.parse(text) : undefined) as T;
  };
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}
