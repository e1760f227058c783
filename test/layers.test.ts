import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '..');

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = join(dir, name);
    if (name === 'node_modules' || name === 'data') return [];
    return statSync(full).isDirectory() ? files(full) : /\.(ts|tsx|js|mjs)$/.test(name) ? [full] : [];
  });
}

const IMPORT =
  /(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)|^import\s+['"]([^'"]+)['"]/gm;

function importsOf(file: string): string[] {
  const src = readFileSync(file, 'utf8');
  return [...src.matchAll(IMPORT)].map((m) => m[1] ?? m[2] ?? m[3] ?? '');
}

function resolvesInto(file: string, spec: string, dir: string): boolean {
  if (!spec.startsWith('.')) return false;
  return !relative(join(ROOT, dir), resolve(file, '..', spec)).startsWith('..');
}

/** Modules that do I/O or hold process state; src/domain must stay pure. */
const IO_MODULES =
  /^(node:)?(fs|net|http|https|http2|dgram|child_process|worker_threads|cluster|dns|tls|os|process|readline)(\/|$)|^(pg|pg-boss|@electric-sql\/pglite|fastify|@fastify\/.*|pino|prom-client|undici|@shopify\/.*)$/;

describe('layers', () => {
  const domain = files(join(ROOT, 'src/domain'));

  it('finds the code it guards', () => {
    expect(domain.length).toBeGreaterThan(3);
    expect(files(join(ROOT, 'emulator/src')).length).toBeGreaterThan(3);
  });

  it('src/domain imports no I/O and nothing outside src/domain', () => {
    const bad = domain.flatMap((f) =>
      importsOf(f)
        .filter((s) => IO_MODULES.test(s) || (s.startsWith('.') && !resolvesInto(f, s, 'src/domain')))
        .map((s) => `${relative(ROOT, f)} → ${s}`),
    );
    expect(bad).toEqual([]);
  });

  it('src/ never imports the emulator and the emulator never imports src/', () => {
    const connector = [
      ...files(join(ROOT, 'src')),
      ...files(join(ROOT, 'test')),
      ...files(join(ROOT, 'bench')),
    ];
    const fromSrc = connector.flatMap((f) =>
      importsOf(f)
        .filter(
          (s) =>
            s === 'shopify-emulator' || s.startsWith('shopify-emulator/') || resolvesInto(f, s, 'emulator'),
        )
        .map((s) => `${relative(ROOT, f)} → ${s}`),
    );
    const fromEmulator = files(join(ROOT, 'emulator')).flatMap((f) =>
      importsOf(f)
        .filter((s) => s === 'retailos' || resolvesInto(f, s, 'src') || resolvesInto(f, s, 'test-support'))
        .map((s) => `${relative(ROOT, f)} → ${s}`),
    );
    expect([...fromSrc, ...fromEmulator]).toEqual([]);
  });

  it('the import scanner sees the import forms it guards', () => {
    const sample = join(ROOT, 'test/layers.test.ts');
    expect(importsOf(sample)).toContain('node:fs');
    expect(IO_MODULES.test('node:fs')).toBe(true);
    expect(IO_MODULES.test('pg')).toBe(true);
    expect(IO_MODULES.test('./money.ts')).toBe(false);
  });
});
