import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The repository root (migrations/, web/dist, emulator/): the nearest folder above this module whose
 * package.json is Retailos'. Found by walking up, so it is the same whether this file runs from src/
 * (tests, tsx) or from the compiled bundle `bin/launch.js` writes under node_modules/.cache.
 */
export function findAppRoot(from: string): string {
  for (let dir = from; ; dir = dirname(dir)) {
    const manifest = join(dir, 'package.json');
    if (
      existsSync(manifest) &&
      (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name === 'retailos'
    )
      return dir;
    if (dirname(dir) === dir) throw new Error(`no Retailos package.json above ${from}`);
  }
}

export const APP_ROOT = findAppRoot(dirname(fileURLToPath(import.meta.url)));
