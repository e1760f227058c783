import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { compile, ROOT } from '../bin/launch.js';
import { APP_ROOT, findAppRoot } from '../src/app-root.ts';

describe('bin/launch.js: how `retailos` runs its TypeScript', () => {
  it('compiles an entry point into a cached bundle that still finds the repository root', async () => {
    const url = await compile('src/app-root.ts');
    const file = fileURLToPath(url);
    expect(file.startsWith(join(ROOT, 'node_modules/.cache/retailos/'))).toBe(true);
    expect(existsSync(`${file}.map`)).toBe(true);
    // The bundle sits three folders below the root, src/app-root.ts one: both resolve the same root.
    const bundled = (await import(url)) as { APP_ROOT: string };
    expect(bundled.APP_ROOT).toBe(APP_ROOT);
    expect(existsSync(join(bundled.APP_ROOT, 'migrations'))).toBe(true);
  });

  it('gives processes compiling the same sources at once one bundle', async () => {
    const urls = await Promise.all([compile('src/app-root.ts'), compile('src/app-root.ts')]);
    expect(urls[0]).toBe(urls[1]);
    expect(existsSync(fileURLToPath(urls[0] as string))).toBe(true);
  });

  it('refuses a folder with no Retailos package.json above it', () => {
    const stray = mkdtempSync(join(tmpdir(), 'rtl-no-root-'));
    expect(() => findAppRoot(stray)).toThrow(/no Retailos package.json above/);
  });

  it('names the folder and the way out when the bundle cannot be written', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'rtl-cache-')), 'not-a-folder');
    writeFileSync(file, '');
    await expect(compile('src/app-root.ts', join(file, 'retailos'))).rejects.toThrow(
      /cannot write the compiled bundle into .*not-a-folder\/retailos .*node bin\/prebuild\.js/,
    );
  });

  it("npm's postinstall builds the retailos bundle, which a start then uses without writing", async () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
      scripts: Record<string, string>;
    };
    expect(pkg.scripts['postinstall']).toContain('node bin/prebuild.js');
    const built = spawnSync(process.execPath, [join(ROOT, 'bin/prebuild.js')], { encoding: 'utf8' });
    expect(built.stderr).toBe('');
    expect(built.status).toBe(0);
    const cache = join(ROOT, 'node_modules/.cache/retailos');
    const before = readdirSync(cache).sort();
    const url = await compile('src/main.ts');
    expect(readdirSync(cache).sort()).toEqual(before);
    expect(before).toContain(fileURLToPath(url).split('/').at(-2));
  });
});
