// How Retailos' TypeScript runs outside the tests: esbuild compiles an entry point and the app
// modules it imports into one ES module (npm packages stay imports), cached under
// node_modules/.cache/retailos by content, and Node imports that. No loader hooks stay in the
// process: tsx's ESM loader runs in a thread of its own, ~33 MB of resident memory for the server's
// whole life. Compiling takes ~0.2 s at start-up; an edited source gives a new bundle on the next start.
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import v8 from 'node:v8';

export const ROOT = fileURLToPath(new URL('..', import.meta.url));
const CACHE = join(ROOT, 'node_modules/.cache/retailos');
const STALE_MS = 24 * 3600_000;
let building = 0;

/**
 * V8 flags only the command line can set, for every process that runs Retailos (the `retailos`
 * shebang and `npm start` spell them out too). A young generation of 2 × 4 MB instead of 2 × 16 MB:
 * an import batch outlives a scavenge anyway, so the larger space only held garbage.
 */
export const NODE_FLAGS = ['--max-semi-space-size=4'];

/**
 * Heap growth V8 reads at each collection: the old generation may grow 20% past what survived the
 * last full collection before the next one (V8's default lets it double or more, and between two
 * collections an import's discarded batches pile up: ~100 MB of garbage at the peak).
 */
export function tuneHeap() {
  v8.setFlagsFromString('--heap-growing-percent=20');
  // Embedded Postgres is WebAssembly, and V8 tiers its hot functions up in background compile tasks,
  // one per core by default. Their working memory stays resident once used (glibc keeps freed
  // memory), ~50 MB more after the migrations alone; one task compiles the same code, a bit later.
  v8.setFlagsFromString('--wasm-num-compilation-tasks=1');
}

/**
 * Compiles `entry` (a path from the repository root) and returns the URL of the module to import.
 * `cache` is where bundles go (tests name another); it must sit inside the repository, where the
 * bundle's package imports resolve to its node_modules.
 */
export async function compile(entry, cache = CACHE) {
  const esbuild = await import('esbuild');
  building += 1;
  const name = basename(entry).replace(/\.ts$/, '');
  let files;
  try {
    const result = await esbuild.build({
      entryPoints: [join(ROOT, entry)],
      bundle: true,
      packages: 'external',
      platform: 'node',
      format: 'esm',
      target: 'node20',
      // Where the bundle's folder sits (its name is the content hash): source map paths are relative to it.
      outfile: join(CACHE, 'bundle', `${name}.mjs`),
      sourcemap: 'linked',
      sourcesContent: false,
      write: false,
      logLevel: 'silent',
    });
    files = result.outputFiles;
  } finally {
    // esbuild's service process would keep this one alive; the last build in flight stops it.
    building -= 1;
    if (building === 0) await esbuild.stop();
  }
  const hash = createHash('sha256');
  for (const f of files) hash.update(f.contents);
  const dir = join(cache, `${name}-${hash.digest('hex').slice(0, 16)}`);
  if (!existsSync(dir)) {
    writeBundle(files, dir);
    pruneStale(cache, name, dir);
  }
  process.setSourceMapsEnabled(true);
  return pathToFileURL(join(dir, `${name}.mjs`)).href;
}

/**
 * Writes a bundle's files into `dir`. Several processes may start at once: each writes its own folder
 * and renames it into place. A folder that cannot be written (a read-only install) is named in the
 * error with the way out: the bundle is built at install time (npm's postinstall runs
 * bin/prebuild.js), and a start with unchanged sources then writes nothing.
 */
function writeBundle(files, dir) {
  const staging = `${dir}.${process.pid}-${randomBytes(4).toString('hex')}`;
  try {
    mkdirSync(staging, { recursive: true });
    for (const f of files) writeFileSync(join(staging, basename(f.path)), f.contents);
  } catch (err) {
    if (existsSync(staging)) rmSync(staging, { recursive: true, force: true });
    throw new Error(
      `retailos: cannot write the compiled bundle into ${dirname(dir)} (${err.message}); ` +
        'on a read-only install, build it while node_modules is writable: node bin/prebuild.js',
      { cause: err },
    );
  }
  try {
    renameSync(staging, dir);
  } catch (err) {
    rmSync(staging, { recursive: true, force: true });
    if (!existsSync(dir)) throw err;
  }
}

/**
 * Removes the entry point's other bundles built more than a day ago (from older sources; a process
 * that still runs one has loaded it already). A failure to remove one does not stop the start: it is
 * reported as a process warning.
 */
function pruneStale(cache, name, keep) {
  const now = Date.now();
  for (const d of readdirSync(cache)) {
    const path = join(cache, d);
    if (path === keep || !d.startsWith(`${name}-`)) continue;
    try {
      if (now - statSync(path).mtimeMs > STALE_MS) rmSync(path, { recursive: true, force: true });
    } catch (err) {
      // ENOENT: another process pruned it first.
      if (err.code !== 'ENOENT')
        process.emitWarning(`could not prune the old bundle ${path}: ${err.message}`);
    }
  }
}
