import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { listHistory } from '../../src/db/shopify-sync-history.ts';
import type { ApiProduct } from '../../test-support/sync.ts';
import { seriousViolations } from './axe.ts';
import { resultPath } from './harness.ts';
import { storeSessionFor } from './store-session.ts';

/**
 * The troubleshooting path "a change reverted by mistake → Redo", in Chromium against a store connected
 * to the emulator (queues drained by the test, no sleeps): a price changed on Shopify is found in the
 * Sync History tab, reverted from it (Shopify shows the old price), then redone from the revert's entry
 * (Shopify shows the new price again). axe-core checks the page with the confirmation open.
 */
const SHOP = 'browser-revert.myshopify.com';

const s = storeSessionFor(SHOP, ['--seed', '31', '--products', '3', '--customers', '1', '--orders', '1']);

const openLoggedIn = (path: string): Promise<Page> => s.openLoggedIn(path, { pathOnly: true });

interface EmuProduct {
  id: number;
  variants: { id: number; sku: string; price: string }[];
}

const shopifyPrice = async (id: number): Promise<string | undefined> =>
  (await s.h.emu.control<EmuProduct>('GET', `/shops/${SHOP}/products/${id}`)).variants[0]?.price;

/** Confirms the open dialog; the page announces the result. */
async function confirmIn(page: Page, action: 'Revert' | 'Redo', done: string): Promise<void> {
  const dialog = page.getByRole('alertdialog');
  await expect.poll(() => dialog.count()).toBe(1);
  expect(await seriousViolations(page)).toEqual([]);
  await dialog.getByRole('button', { name: action, exact: true }).click();
  await page.getByRole('status').filter({ hasText: done }).first().waitFor();
}

describe('Sync History in the browser', () => {
  it('a change reverted by mistake → Redo: Shopify shows the old price, then the new one again', async () => {
    const remote = (
      await s.h.emu.control<{ products: EmuProduct[] }>('GET', `/shops/${SHOP}/products?limit=10`)
    ).products[0] as EmuProduct;
    const variant = remote.variants[0] as EmuProduct['variants'][number];
    const oldPrice = variant.price;
    await s.h.emu.control('PATCH', `/shops/${SHOP}/variants/${variant.id}`, { price: '123.45' });
    await s.h.settle();
    const local = (await s.h.api<{ items: ApiProduct[] }>('GET', `/api/products?sku=${variant.sku}`)).body
      .items[0] as ApiProduct;
    const [entry] = await listHistory(s.h.t.db, s.h.t.a.tenantId, { localId: local.id }, 1);
    if (!entry) throw new Error('no entry');

    const page = await openLoggedIn(`/app/shopify/history?q=${encodeURIComponent(variant.sku)}`);
    await page.getByRole('button', { name: `Revert entry ${entry.id}` }).click();
    await expect.poll(() => page.getByRole('alertdialog').textContent()).toContain(`123.45 → ${oldPrice}`);
    await page.screenshot({ path: resultPath('history-revert-dialog.png') });
    await confirmIn(page, 'Revert', 'Reverted: 1 field changed.');
    await s.h.settle();
    expect(await shopifyPrice(remote.id)).toBe(oldPrice);

    const revert = (await listHistory(s.h.t.db, s.h.t.a.tenantId, { localId: local.id }, 10)).find(
      (e) => e.origin === 'revert',
    );
    if (!revert) throw new Error('no revert entry');
    expect(revert.linkedEntryId).toBe(entry.id);
    await page.reload();
    const redo = page.getByRole('button', { name: `Redo entry ${revert.id}` });
    await redo.click();
    await confirmIn(page, 'Redo', 'Redone: 1 field changed.');
    await s.h.settle();
    expect(await shopifyPrice(remote.id)).toBe('123.45');

    // The price edited again in Retailos since: the dialog for reverting the redo lists it with its
    // current value; a double click on "Revert anyway" makes one change.
    const product = (await s.h.api<ApiProduct>('GET', `/api/products/${local.id}`)).body;
    const edited = await s.h.api('PATCH', `/api/products/${local.id}`, {
      variants: product.variants.map((v, i) => ({ id: v.id, price: i === 0 ? '130.00' : v.price })),
    });
    expect(edited.status).toBe(200);
    await s.h.settle();
    const redone = (await listHistory(s.h.t.db, s.h.t.a.tenantId, { localId: local.id }, 10)).find(
      (e) => e.origin === 'redo',
    );
    if (!redone) throw new Error('no redo entry');
    await page.reload();
    await page.getByRole('button', { name: `Revert entry ${redone.id}` }).click();
    const dialog = page.getByRole('alertdialog');
    await expect
      .poll(() => dialog.textContent())
      .toContain(`now 130.00 (this entry set 123.45), reverting sets ${oldPrice}`);
    expect(await seriousViolations(page)).toEqual([]);
    await dialog.getByRole('button', { name: 'Revert anyway' }).dblclick();
    await page.getByRole('status').filter({ hasText: 'Reverted: 1 field changed.' }).first().waitFor();
    const reverts = (await listHistory(s.h.t.db, s.h.t.a.tenantId, { localId: local.id }, 20)).filter(
      (e) => e.origin === 'revert' && e.linkedEntryId === redone.id,
    );
    expect(reverts).toHaveLength(1);
    await s.h.settle();
    expect(await shopifyPrice(remote.id)).toBe(oldPrice);
    expect(s.faults).toEqual([]);
  });
});
