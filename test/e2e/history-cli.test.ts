import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listHistory } from '../../src/db/shopify-sync-history.ts';
import {
  expectOk,
  startSyncHarness,
  variantsBody,
  type ApiProduct,
  type SyncHarness,
} from '../../test-support/sync.ts';

/** `retailos history search|show|revert|redo` against a running server connected to the emulator. */

const SHOP = 'history-cli.myshopify.com';
const BIN = join(import.meta.dirname, '..', '..', 'bin', 'retailos.js');

let h: SyncHarness;
let url: string;

beforeAll(async () => {
  h = await startSyncHarness(SHOP, ['--seed', '88', '--products', '3', '--customers', '1', '--orders', '1']);
  const address = h.t.app.server.address();
  if (typeof address !== 'object' || !address) throw new Error('the app does not listen');
  url = `http://127.0.0.1:${address.port}`;
}, 240_000);
afterAll(async () => {
  await h?.close();
});

/** Runs the CLI without blocking this process (the server it calls runs here). */
function retailos(args: string[]): Promise<{ code: number; out: string; err: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [BIN, ...args, '--url', url, '--token', h.t.a.token],
      { env: { PATH: process.env['PATH'] ?? '', LOG_LEVEL: 'warn' }, timeout: 120_000 },
      (error, out, err) => resolve({ code: error ? Number(error.code ?? 1) : 0, out, err }),
    );
  });
}

function expectOneLineError(r: { code: number; err: string }, message: RegExp): void {
  expect(r.code, r.err).toBe(1);
  expect(r.err).toMatch(/^error: .+\n$/);
  expect(r.err).toMatch(message);
}

describe('retailos history', () => {
  it(
    'searches, shows, reverts (asking to confirm a field changed since) and redoes an entry',
    { timeout: 300_000 },
    async () => {
      const remote = (
        await h.emu.control<{ products: { variants: { id: number; sku: string; price: string }[] }[] }>(
          'GET',
          `/shops/${SHOP}/products?limit=10`,
        )
      ).products[0];
      const variant = remote?.variants[0];
      if (!variant) throw new Error('no variant');
      await h.emu.control('PATCH', `/shops/${SHOP}/variants/${variant.id}`, { price: '55.55' });
      await h.settle();
      const found = await h.api<{ items: ApiProduct[] }>('GET', `/api/products?sku=${variant.sku}`);
      const local = found.body.items[0] as ApiProduct;
      const entry = (await listHistory(h.t.db, h.t.a.tenantId, { localId: local.id }, 5))[0];
      if (!entry) throw new Error('no entry');
      const path = `variants[${variant.sku}].price`;

      const search = await retailos(['history', 'search', variant.sku]);
      expect(search.code, search.err).toBe(0);
      expect(search.out).toContain(`#${entry.id}  `);
      expect(search.out).toContain(`product inbound webhook update applied`);
      expect(search.out).toContain(`${path}: ${variant.price} → 55.55`);

      const show = await retailos(['history', 'show', String(entry.id)]);
      expect(show.code, show.err).toBe(0);
      expect(show.out).toMatch(new RegExp(`^Entry #${entry.id}: product "`));
      expect(show.out).toContain(`  ${path}: ${variant.price} → 55.55\n`);

      // Changed again in Retailos since: the revert asks for --confirm, listing the field.
      expectOk(
        await h.api('PATCH', `/api/products/${local.id}`, {
          variants: variantsBody(local, (_v, i) => (i === 0 ? { price: '56.00' } : {})),
        }),
      );
      await h.settle();
      const refused = await retailos(['history', 'revert', String(entry.id)]);
      expectOneLineError(refused, new RegExp(`changed again since this entry: .*now 56\\.00.*--confirm`));

      const dry = await retailos(['history', 'revert', String(entry.id), '--dry-run']);
      expect(dry.code, dry.err).toBe(0);
      expect(dry.out).toContain(`would revert entry #${entry.id} (dry run, nothing written)`);
      expect(dry.out).toContain(`changed since the entry: ${path} (it set 55.55, now 56.00)`);

      const reverted = await retailos(['history', 'revert', String(entry.id), '--confirm']);
      expect(reverted.code, reverted.err).toBe(0);
      expect(reverted.out).toMatch(
        new RegExp(
          `^reverted entry #${entry.id}: new entry #\\d+\\n  ${path.replace(/[[\]]/g, '\\$&')}: 56\\.00 → ${variant.price}\\n`,
        ),
      );
      await h.settle();

      const redone = await retailos(['history', 'redo', String(entry.id)]);
      expect(redone.code, redone.err).toBe(0);
      expect(redone.out).toContain(`: ${variant.price} → 56.00`);
      const twice = await retailos(['history', 'redo', String(entry.id)]);
      expectOneLineError(twice, /already redone.*\(already_redone\)/);
    },
  );

  it('says what is wrong in one line: no such entry, not an id', { timeout: 300_000 }, async () => {
    expectOneLineError(
      await retailos(['history', 'show', '999999']),
      /no such Sync History entry \(not_found\)/,
    );
    expectOneLineError(await retailos(['history', 'revert', '999999']), /does not exist \(not_found\)/);
    expectOneLineError(await retailos(['history', 'revert', 'abc']), /not an entry id: abc/);
  });
});
