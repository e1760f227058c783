import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { parseCli } from '../src/main.ts';
import { at, graphql } from './support/http.ts';

const BIN = fileURLToPath(new URL('../bin/shopify-emulator.js', import.meta.url));
let child: ChildProcess | null = null;

afterAll(() => {
  child?.kill('SIGTERM');
});

/** Starts the bin and resolves with the parsed machine-readable ready line. */
function startBin(args: string[]): Promise<Record<string, unknown>> {
  child = spawn(process.execPath, [BIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  const proc = child;
  return new Promise((resolve, reject) => {
    const lines = createInterface({ input: proc.stdout! });
    lines.on('line', (line) => {
      if (line.startsWith('SHOPIFY_EMULATOR_READY '))
        resolve(JSON.parse(line.slice('SHOPIFY_EMULATOR_READY '.length)) as Record<string, unknown>);
    });
    proc.once('exit', (code) => reject(new Error(`emulator exited early with ${code}`)));
  });
}

describe('shopify-emulator CLI', () => {
  it('starts on --port 0, prints a parseable ready line, serves the token from --access-token, and stops on SIGTERM', async () => {
    const ready = await startBin([
      '--port',
      '0',
      '--shop',
      'cli-a',
      '--shop',
      'cli-b',
      '--seed',
      '3',
      '--products',
      '2',
      '--customers',
      '1',
      '--orders',
      '1',
      '--access-token',
      'shpat_cli',
      '--api-key',
      'cli-key',
      '--api-secret',
      'cli-secret',
      '--webhook-concurrency',
      '2',
    ]);
    expect(ready['port']).toEqual(expect.any(Number));
    expect(ready['shopOriginTemplate']).toBe(`http://127.0.0.1:${String(ready['port'])}/shops/{shop}`);
    expect(at(ready, 'app', 'apiKey')).toBe('cli-key');
    expect(ready['webhookConcurrency']).toBe(2);
    expect((ready['shops'] as { domain: string }[]).map((s) => s.domain)).toEqual([
      'cli-a.myshopify.com',
      'cli-b.myshopify.com',
    ]);
    const origin = `http://127.0.0.1:${String(ready['port'])}/shops/cli-b.myshopify.com`;
    const res = await graphql(origin, 'shpat_cli', '{ products(first: 5) { nodes { id } } }');
    expect(res.status).toBe(200);
    expect(at(res.body, 'data', 'products', 'nodes')).toHaveLength(2);
    const exited = new Promise<number | null>((resolve) => child!.once('exit', resolve));
    child!.kill('SIGTERM');
    expect(await exited).toBe(0);
    child = null;
  });

  it('--help lists every fixed flag', () => {
    const out = spawnSync(process.execPath, [BIN, '--help'], { encoding: 'utf8' });
    expect(out.status).toBe(0);
    for (const flag of [
      '--port',
      '--host',
      '--seed',
      '--shop',
      '--api-key',
      '--api-secret',
      '--access-token',
      '--plan',
      '--products',
      '--variants-per-product',
      '--customers',
      '--orders',
      '--locations',
      '--time-scale',
      '--webhook-concurrency',
      '--bulk-pace',
      '--help',
    ]) {
      expect(out.stdout).toContain(flag);
    }
  });

  it('parses flags and refuses bad values', () => {
    expect(
      parseCli(['--port', '0', '--shop', 'a', '--shop', 'b', '--plan', 'plus', '--time-scale', '60']),
    ).toMatchObject({ port: 0, shops: ['a', 'b'], plan: 'plus', timeScale: 60 });
    expect(parseCli(['--webhook-concurrency', '1'])).toMatchObject({ webhookConcurrency: 1 });
    expect(parseCli(['--webhook-concurrency', '16'])).toMatchObject({ webhookConcurrency: 16 });
    expect(parseCli([])).not.toHaveProperty('webhookConcurrency');
    expect(() => parseCli(['--webhook-concurrency', '0'])).toThrow(/--webhook-concurrency/);
    expect(() => parseCli(['--webhook-concurrency', '2.5'])).toThrow(/--webhook-concurrency/);
    expect(() => parseCli(['--plan', 'gold'])).toThrow(/--plan/);
    expect(() => parseCli(['--products', '-1'])).toThrow(/--products/);
    expect(() => parseCli(['--nope'])).toThrow();
  });
});
