import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { cruise, type IConfiguration, type ICruiseResult } from 'dependency-cruiser';
import { beforeAll, describe, expect, it } from 'vitest';

/**
 * The layers of docs/ARCHITECTURE.md, held by dependency-cruiser's rules in .dependency-cruiser.mjs
 * (the same rules `npm run lint:deps` checks), and the table in ARCHITECTURE.md kept equal to them.
 */
const ROOT = resolve(import.meta.dirname, '..');

interface Layer {
  paths: string[];
  mayImport: string[];
}
interface DepcruiseConfig {
  default: IConfiguration;
  LAYERS: Record<string, Layer>;
  CRUISED: string[];
}

const config = (await import(pathToFileURL(join(ROOT, '.dependency-cruiser.mjs')).href)) as DepcruiseConfig;

let result: ICruiseResult;

beforeAll(async () => {
  const { output } = await cruise(config.CRUISED, {
    ...config.default.options,
    baseDir: ROOT,
    ruleSet: { forbidden: config.default.forbidden ?? [] },
    validate: true,
  });
  if (typeof output === 'string') throw new Error('expected a cruise result, got a report');
  result = output;
}, 120_000);

/** The "may import" cell of each row of ARCHITECTURE.md's "Folders" table, by its folder cell. */
function architectureTable(): { folder: string; mayImport: string }[] {
  const doc = readFileSync(join(ROOT, 'docs/ARCHITECTURE.md'), 'utf8');
  const section = doc.split('## Folders')[1]?.split('\n## ')[0] ?? '';
  return section
    .split('\n')
    .filter((line) => line.startsWith('| `'))
    .map((line) => {
      const cells = line.split('|').map((c) => c.trim());
      return { folder: cells[1] ?? '', mayImport: cells[3] ?? '' };
    });
}

describe('layers (dependency-cruiser)', () => {
  it('cruises the code it guards: src, the emulator, the web UI, the tests', () => {
    const sources = result.modules.map((m) => m.source);
    for (const dir of ['src/domain/', 'src/sync/', 'emulator/src/', 'web/src/', 'test/', 'emulator/test/']) {
      expect(sources.filter((s) => s.startsWith(dir)).length, dir).toBeGreaterThan(3);
    }
    const domain = result.modules.find((m) => m.source === 'src/domain/merge.ts');
    expect(domain?.dependencies.length).toBeGreaterThan(0);
  });

  it('no import breaks a layer rule, makes a cycle or crosses between src/ and the emulator', () => {
    const violations = result.summary.violations.map(
      (v) =>
        `${v.rule.name}: ${[v.from, ...(v.cycle ?? []).map((c) => c.name)].join(' → ')}${v.cycle ? '' : ` → ${v.to}`}`,
    );
    expect(violations).toEqual([]);
  });

  it('npm run lint:deps cruises the same folders as this test', () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
      scripts: Record<string, string>;
    };
    expect(pkg.scripts['lint:deps']).toBe(
      `depcruise --config .dependency-cruiser.mjs ${config.CRUISED.join(' ')}`,
    );
    expect(pkg.scripts['check']).toContain('npm run lint:deps');
  });

  it('the rules cover every layer rule the conventions name', () => {
    const names = (config.default.forbidden ?? []).map((r) => r.name);
    expect(names).toEqual(
      expect.arrayContaining([
        ...Object.keys(config.LAYERS)
          .filter((l) => l !== 'root')
          .map((l) => `layer-${l}`),
        'domain-no-io',
        'domain-imports-nothing-of-ours',
        'connector-never-imports-emulator',
        'emulator-never-imports-connector',
        'no-circular',
      ]),
    );
  });

  it("docs/ARCHITECTURE.md's table says what the rules say", () => {
    const rows = architectureTable().filter((r) => r.folder.includes('`src/'));
    const names = Object.keys(config.LAYERS);
    const fromTable = Object.fromEntries(
      names.map((name) => {
        const layer = config.LAYERS[name] as Layer;
        const row = rows.find((r) =>
          layer.paths.every((p) => r.folder.includes(`\`${p.replace(/\/$/, '')}`)),
        );
        const words = new Set(row?.mayImport.match(/[a-z]+/g) ?? []);
        return [name, row ? names.filter((n) => n !== name && words.has(n)).sort() : 'no row'];
      }),
    );
    const fromRules = Object.fromEntries(
      names.map((n) => [n, [...(config.LAYERS[n] as Layer).mayImport].sort()]),
    );
    expect(fromTable).toEqual(fromRules);
    // every src row of the table is some layer's row
    expect(
      rows.filter(
        (r) =>
          !Object.values(config.LAYERS).some((l) =>
            l.paths.every((p) => r.folder.includes(p.replace(/\/$/, ''))),
          ),
      ),
    ).toEqual([]);
  });
});

/**
 * Source files outside src/db (and migrations/) that still run SQL, each with why. This list only
 * shrinks: a file that no longer runs SQL must leave it (the test says so).
 */
const SQL_OUTSIDE_DB: Record<string, string> = {
  // Permanent: pg-boss's own SQL (its schema, its `send`), run in the caller's transaction when a job
  // is enqueued with `tx` — an adapter for pg-boss, not a query of ours.
  'src/jobs/boss.ts': "pg-boss's own SQL through the caller's transaction",
  // Files still to move into src/db go here, each with why, and leave once moved (none left now).
};

/** A call that runs SQL: `x.query(…)` / `x.query<…>(…)`, or `x.exec('…')` with a literal (not RegExp#exec). */
const RUNS_SQL = /\.query\s*[<(]|\.exec\s*\(\s*[`'"]/;

function sourceFiles(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { recursive: true, encoding: 'utf8' })
    .map((f) => `${dir}/${f.replaceAll('\\', '/')}`)
    .filter((f) => /\.tsx?$/.test(f) && !/\.test\.tsx?$/.test(f));
}

describe('SQL lives in src/db', () => {
  const runningSql = sourceFiles('src')
    .filter((f) => !f.startsWith('src/db/'))
    .filter((f) => RUNS_SQL.test(readFileSync(join(ROOT, f), 'utf8')));

  it('no source file outside src/db runs SQL, but the listed ones', () => {
    expect(runningSql.filter((f) => !(f in SQL_OUTSIDE_DB))).toEqual([]);
  });

  it('every listed file still runs SQL (a file that moved its SQL leaves the list)', () => {
    expect(Object.keys(SQL_OUTSIDE_DB).filter((f) => !runningSql.includes(f))).toEqual([]);
  });

  it('the scan finds SQL where it is: in src/db', () => {
    const inDb = sourceFiles('src/db').filter((f) => RUNS_SQL.test(readFileSync(join(ROOT, f), 'utf8')));
    expect(inDb.length).toBeGreaterThan(20);
  });
});
