// Fetches Shopify's Admin GraphQL introspection files from the pinned @shopify/dev-mcp tarball
// (npm pack) into emulator/data/. Runs at install time; the files are never committed.
import { execFileSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  renameSync,
  rmSync,
  writeFileSync,
  readFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const DEV_MCP_VERSION = '1.16.0';
export const ADMIN_VERSIONS = ['2026-01', '2026-04', '2026-07', '2026-10'];

const dataDir = join(dirname(fileURLToPath(import.meta.url)), '..', 'data');
const marker = join(dataDir, 'SOURCE');
const wanted = `@shopify/dev-mcp@${DEV_MCP_VERSION}`;

const present =
  existsSync(marker) &&
  readFileSync(marker, 'utf8').trim() === wanted &&
  ADMIN_VERSIONS.every((v) => existsSync(join(dataDir, `admin_${v}.json.gz`)));

if (present) {
  console.log(`shopify-emulator: Admin schemas from ${wanted} already in ${dataDir}`);
} else {
  const work = mkdtempSync(join(tmpdir(), 'dev-mcp-'));
  try {
    execFileSync('npm', ['pack', wanted, '--silent', '--pack-destination', work], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const tgz = readdirSync(work).find((f) => f.endsWith('.tgz'));
    if (!tgz) throw new Error(`npm pack ${wanted} produced no tarball`);
    const members = ADMIN_VERSIONS.map((v) => `package/dist/data/admin_${v}.json.gz`);
    execFileSync('tar', ['-xzf', join(work, tgz), '-C', work, ...members], { stdio: 'inherit' });
    mkdirSync(dataDir, { recursive: true });
    for (const v of ADMIN_VERSIONS) {
      renameSync(join(work, 'package/dist/data', `admin_${v}.json.gz`), join(dataDir, `admin_${v}.json.gz`));
    }
    writeFileSync(marker, `${wanted}\n`);
    console.log(`shopify-emulator: fetched Admin schemas ${ADMIN_VERSIONS.join(', ')} from ${wanted}`);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
