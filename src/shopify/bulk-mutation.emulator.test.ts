import fc from 'fast-check';
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startEmulator, type RunningEmulator } from '../../test-support/emulator.ts';
import { PermanentError, TransientError } from '../errors.ts';
import {
  BulkMutationBusyError,
  BulkMutationRefusedError,
  BulkOperationEndedError,
  BulkVariablesError,
  bulkMutationResults,
  cancelBulkOperation,
  findBulkMutation,
  getBulkOperation,
  operationNameOf,
  runBulkMutation,
  stageVariables,
  submitBulkMutation,
  uploadVariables,
  variablesParts,
  waitForBulkOperation,
  type BulkLineResult,
  type BulkSession,
  type VariablesPart,
} from './bulk-mutation.ts';
import { adminGraphql } from './graphql-client.ts';

let emu: RunningEmulator;
let s: BulkSession;
const shop = 'bulk-client.myshopify.com';
const token = 'shpat_bulk_client_test';
let products: string[];
let customers: string[];

const yieldOnce = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));
const poll = { wait: yieldOnce, pollMs: 0 };

beforeAll(async () => {
  emu = await startEmulator([
    '--shop',
    shop,
    '--access-token',
    token,
    '--products',
    '5',
    '--customers',
    '3',
    '--seed',
    '11',
  ]);
  s = {
    cfg: { shopOriginTemplate: emu.shopOriginTemplate, apiVersion: '2026-04' },
    shop,
    accessToken: token,
  };
  const { data } = await adminGraphql<{
    products: { nodes: { id: string }[] };
    customers: { nodes: { id: string }[] };
  }>(s.cfg, {
    shop,
    accessToken: token,
    query: '{ products(first: 10) { nodes { id } } customers(first: 10) { nodes { id } } }',
  });
  products = data.products.nodes.map((n) => n.id);
  customers = data.customers.nodes.map((n) => n.id);
});
afterAll(async () => {
  await emu.stop();
});
beforeEach(async () => {
  await emu.control('POST', '/bulk/settings', { pace: null });
});

const PRODUCT_UPDATE = (name: string) =>
  `mutation ${name}($product: ProductUpdateInput!) { productUpdate(product: $product) { product { id title } userErrors { field message } } }`;
const CUSTOMER_UPDATE = (name: string) =>
  `mutation ${name}($input: CustomerInput!) { customerUpdate(input: $input) { customer { id note } userErrors { field message } } }`;

let batch = 0;
const nextName = (): string => `RetailosRepair_${++batch}_${Date.now()}`;

async function onePart(lines: Record<string, unknown>[]): Promise<VariablesPart> {
  const parts: VariablesPart[] = [];
  for await (const p of variablesParts(lines)) parts.push(p);
  expect(parts).toHaveLength(1);
  return parts[0] as VariablesPart;
}

async function collect(results: AsyncIterable<BulkLineResult>): Promise<BulkLineResult[]> {
  const out: BulkLineResult[] = [];
  for await (const r of results) out.push(r);
  return out;
}

/** Submit → poll → every line's result. */
async function runAll(mutation: string, lines: Record<string, unknown>[]): Promise<BulkLineResult[]> {
  const id = await submitBulkMutation(s, mutation, await onePart(lines));
  const op = await waitForBulkOperation(s, id, poll);
  return collect(bulkMutationResults(op, lines.length));
}

const titleOf = async (gid: string): Promise<string> => {
  const { data } = await adminGraphql<{ product: { title: string } }>(s.cfg, {
    shop,
    accessToken: token,
    query: `{ product(id: "${gid}") { title } }`,
  });
  return data.product.title;
};

describe('bulk mutation client against the emulator', () => {
  it('upload → run → poll → one result per line, matched by lineNumber; a userError stays on its line', async () => {
    const [a, b] = products;
    const lines = [
      { product: { id: a, title: 'Bulk client A' } },
      { product: { id: 'gid://shopify/Product/1', title: 'Nobody' } },
      { product: { id: b, title: 'Bulk client B' } },
    ];
    const results = await runAll(PRODUCT_UPDATE(nextName()), lines);
    expect(results.map((r) => [r.lineNumber, r.missing])).toEqual([
      [0, false],
      [1, false],
      [2, false],
    ]);
    const byLine = new Map(results.map((r) => [r.lineNumber, r]));
    expect(byLine.get(0)?.data).toMatchObject({ productUpdate: { product: { id: a }, userErrors: [] } });
    expect(byLine.get(1)?.data).toMatchObject({
      productUpdate: { product: null, userErrors: [{ message: 'Product does not exist' }] },
    });
    expect(byLine.get(2)?.data).toMatchObject({ productUpdate: { product: { id: b }, userErrors: [] } });
    expect(await titleOf(a as string)).toBe('Bulk client A');
    expect(await titleOf(b as string)).toBe('Bulk client B');
  });

  it('customerUpdate lines run too', async () => {
    const lines = customers.map((id, i) => ({ input: { id, note: `bulk note ${i}` } }));
    const results = await runAll(CUSTOMER_UPDATE(nextName()), lines);
    expect(results).toHaveLength(customers.length);
    for (const r of results) {
      expect(r.missing).toBe(false);
      expect(r.data).toMatchObject({
        customerUpdate: { customer: { id: customers[r.lineNumber], note: `bulk note ${r.lineNumber}` } },
      });
    }
  });

  it('a bad mutation is a permanent typed refusal; an unnamed one is refused before calling Shopify', async () => {
    const part = await onePart([{ product: { id: products[0], title: 'x' } }]);
    const target = await stageVariables(s);
    const path = await uploadVariables(target, part.path);
    await part.dispose();
    const bad = await runBulkMutation(s, 'mutation Broken { nope', path).catch((e: unknown) => e);
    expect(bad).toBeInstanceOf(BulkMutationRefusedError);
    expect(bad).toBeInstanceOf(PermanentError);
    expect(bad).toMatchObject({ code: 'INVALID_MUTATION' });
    const missing = await runBulkMutation(s, PRODUCT_UPDATE(nextName()), 'tmp/never/uploaded').catch(
      (e: unknown) => e,
    );
    expect(missing).toMatchObject({ code: 'NO_SUCH_FILE' });
    expect(missing).toBeInstanceOf(PermanentError);
    const unnamed = PRODUCT_UPDATE('').replace('mutation (', 'mutation(');
    await expect(runBulkMutation(s, unnamed, path)).rejects.toMatchObject({ code: 'UNNAMED_MUTATION' });
  });

  it('an upload the target refuses (a forged signature) is a permanent typed error naming the status', async () => {
    const part = await onePart([{ product: { id: products[0], title: 'forged' } }]);
    const target = await stageVariables(s);
    const forged = {
      ...target,
      parameters: target.parameters.map((p) =>
        p.name === 'x-goog-signature' ? { ...p, value: 'f'.repeat(64) } : p,
      ),
    };
    expect(forged.parameters).not.toEqual(target.parameters);
    const err = await uploadVariables(forged, part.path).catch((e: unknown) => e);
    await part.dispose();
    expect(err).toBeInstanceOf(BulkMutationRefusedError);
    expect(err).toMatchObject({ code: 'UPLOAD_REFUSED' });
    expect((err as Error).message).toContain('403');
  });

  it('a sixth operation while five run is OPERATION_IN_PROGRESS, retryable; canceled ones end CANCELED', async () => {
    await emu.control('POST', '/bulk/settings', { pace: 1 });
    const lines = Array.from({ length: 20 }, (_, i) => ({
      product: { id: products[0], title: `slow ${i}` },
    }));
    const ids: string[] = [];
    for (let i = 0; i < 5; i++)
      ids.push(await submitBulkMutation(s, PRODUCT_UPDATE(nextName()), await onePart(lines)));
    const sixth = await submitBulkMutation(s, PRODUCT_UPDATE(nextName()), await onePart(lines)).catch(
      (e: unknown) => e,
    );
    expect(sixth).toBeInstanceOf(BulkMutationBusyError);
    expect(sixth).toBeInstanceOf(TransientError);
    expect(sixth).toMatchObject({ code: 'OPERATION_IN_PROGRESS' });
    for (const id of ids) await cancelBulkOperation(s, id);
    for (const id of ids) {
      const op = await waitForBulkOperation(s, id, poll);
      expect(op.status).toBe('CANCELED');
      const ended = (() => {
        try {
          bulkMutationResults(op, lines.length);
          return null;
        } catch (e) {
          return e;
        }
      })();
      expect(ended).toBeInstanceOf(BulkOperationEndedError);
      const err = ended as BulkOperationEndedError;
      expect(err.status).toBe('CANCELED');
      // No partial file for a canceled mutation here: every line is reported missing, none dropped.
      const rest = await collect(err.lines(lines.length));
      expect(rest).toHaveLength(lines.length);
      expect(new Set(rest.map((r) => r.lineNumber)).size).toBe(lines.length);
    }
  });

  it('finds a submitted operation by its operation name after losing the id, and not a name it never saw', async () => {
    const since = new Date(Date.now() - 2_000);
    const name = nextName();
    const id = await submitBulkMutation(
      s,
      PRODUCT_UPDATE(name),
      await onePart([{ product: { id: products[3], title: 'lost' } }]),
    );
    // Others after it, one whose name starts with the same characters.
    await runAll(PRODUCT_UPDATE(`${name}0`), [{ product: { id: products[3], title: 'other' } }]);
    await runAll(PRODUCT_UPDATE(nextName()), [{ product: { id: products[3], title: 'other 2' } }]);
    const found = await findBulkMutation(s, name, since);
    expect(found?.id).toBe(id);
    expect(operationNameOf(found?.query ?? '')).toBe(name);
    expect(await findBulkMutation(s, `${name}_never`, since)).toBeNull();
    // Older than the window: not found, even though it exists.
    expect(await findBulkMutation(s, name, new Date(Date.now() + 60_000))).toBeNull();
  });

  it('a FAILED operation is a typed error with its code; its partial file gives the lines it ran, the rest missing', async () => {
    const lines = [0, 1, 2].map((i) => ({ product: { id: products[4], title: `partial ${i}` } }));
    const id = await submitBulkMutation(s, PRODUCT_UPDATE(nextName()), await onePart(lines));
    const done = await waitForBulkOperation(s, id, poll);
    // The emulator fails a bulk mutation only on its own I/O fault, which a test cannot cause over
    // HTTP: the operation is read back as FAILED with its real file as partialDataUrl and two more lines sent.
    const failed = {
      ...done,
      status: 'FAILED' as const,
      errorCode: 'INTERNAL_SERVER_ERROR',
      url: null,
      partialDataUrl: done.url,
    };
    let err: unknown;
    try {
      bulkMutationResults(failed, 5);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(BulkOperationEndedError);
    expect((err as BulkOperationEndedError).errorCode).toBe('INTERNAL_SERVER_ERROR');
    expect((err as Error).message).toContain('partial data');
    const got = await collect((err as BulkOperationEndedError).lines(5));
    expect(got.map((r) => [r.lineNumber, r.missing])).toEqual([
      [0, false],
      [1, false],
      [2, false],
      [3, true],
      [4, true],
    ]);
  });

  it('a result file naming a line that was never sent is an error, not a silent extra', async () => {
    const id = await submitBulkMutation(
      s,
      PRODUCT_UPDATE(nextName()),
      await onePart([
        { product: { id: products[0], title: 'a' } },
        { product: { id: products[0], title: 'b' } },
      ]),
    );
    const op = await waitForBulkOperation(s, id, poll);
    await expect(collect(bulkMutationResults(op, 1))).rejects.toThrow(/__lineNumber 1, outside the 1 lines/);
  });

  it('hostile variables: NUL, control characters and lone surrogates round-trip; huge numbers get their own line error or a clear refusal', async () => {
    const gid = products[2] as string;
    const hostile = 'nul\u0000 bell\u0007 cr\r lf\n lone \ud800 end';
    const results = await runAll(PRODUCT_UPDATE(nextName()), [
      { product: { id: gid, title: hostile } },
      { product: { id: gid, title: 1e308 } },
      { product: { id: 123456789012345678901234567890, title: 'big id' } },
    ]);
    expect(results).toHaveLength(3);
    expect(results[0]?.data).toMatchObject({ productUpdate: { userErrors: [] } });
    // JSON.stringify escaped every control character and the lone surrogate (\ud800): the title
    // comes back exactly as sent.
    expect(await titleOf(gid)).toBe(hostile);
    expect(results[1]?.errors).not.toBeNull();
    const third = results[2];
    expect(
      third?.errors ??
        (third?.data as { productUpdate?: { userErrors?: unknown[] } })?.productUpdate?.userErrors,
    ).toBeTruthy();
    for (const bad of [
      { product: { id: gid, n: 10n } },
      { product: { id: gid, n: NaN } },
      { product: { id: gid, n: Infinity } },
    ]) {
      const err = await onePart([bad as unknown as Record<string, unknown>]).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(BulkVariablesError);
      expect(err).toMatchObject({ lineIndex: 0 });
    }
    const notObject = await onePart([[1, 2] as unknown as Record<string, unknown>]).catch((e: unknown) => e);
    expect(notObject).toBeInstanceOf(BulkVariablesError);
  });

  it('N random lines → N results, each lineNumber once (fast-check)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.record({
            known: fc.boolean(),
            title: fc.string({ unit: 'binary', maxLength: 30 }).map((t) => `T${t}`),
          }),
          {
            minLength: 1,
            maxLength: 12,
          },
        ),
        async (spec) => {
          const lines = spec.map((l) => ({
            product: { id: l.known ? products[1] : 'gid://shopify/Product/1', title: l.title },
          }));
          const results = await runAll(PRODUCT_UPDATE(nextName()), lines);
          expect(results).toHaveLength(lines.length);
          expect(results.map((r) => r.lineNumber).sort((x, y) => x - y)).toEqual(lines.map((_, i) => i));
          for (const r of results) {
            expect(r.missing).toBe(false);
            const errors = (r.data as { productUpdate: { userErrors: unknown[] } }).productUpdate.userErrors;
            expect(errors.length === 0).toBe(spec[r.lineNumber]?.known);
          }
        },
      ),
      { numRuns: 15 },
    );
  });
});

describe('variables files', () => {
  it('split at the size limit, in order, every line once; a line over the limit is refused', async () => {
    async function* gen() {
      for (let i = 0; i < 50; i++)
        yield { product: { id: `gid://shopify/Product/${i}`, title: 'x'.repeat(i % 7) } };
    }
    const parts: { firstIndex: number; lineCount: number; bytes: number; text: string }[] = [];
    for await (const p of variablesParts(gen(), { maxBytes: 300 })) {
      parts.push({ ...p, text: await readFile(p.path, 'utf8') });
      await p.dispose();
    }
    expect(parts.length).toBeGreaterThan(1);
    const all = parts.flatMap((p) => p.text.trimEnd().split('\n'));
    expect(all.map((l) => (JSON.parse(l) as { product: { id: string } }).product.id)).toEqual(
      Array.from({ length: 50 }, (_, i) => `gid://shopify/Product/${i}`),
    );
    let next = 0;
    for (const p of parts) {
      expect(p.firstIndex).toBe(next);
      expect(p.bytes).toBeLessThanOrEqual(300);
      expect(Buffer.byteLength(p.text)).toBe(p.bytes);
      next += p.lineCount;
    }
    const huge = await onePart([{ big: 'y'.repeat(400) }]).catch(() => null);
    expect(huge).not.toBeNull(); // under the default limit it fits
    const tooBig = async () => {
      for await (const p of variablesParts([{ big: 'y'.repeat(400) }], { maxBytes: 300 })) await p.dispose();
    };
    await expect(tooBig()).rejects.toBeInstanceOf(BulkVariablesError);
    await (huge as VariablesPart).dispose();
  });

  it('split parts run one after another; firstIndex + lineNumber covers every input line once', async () => {
    const titles = Array.from({ length: 9 }, (_, i) => `part line ${i}`);
    const seen: number[] = [];
    let parts = 0;
    for await (const part of variablesParts(
      titles.map((title) => ({ product: { id: products[1], title } })),
      { maxBytes: 200 },
    )) {
      const { firstIndex, lineCount } = part;
      parts += 1;
      const id = await submitBulkMutation(s, PRODUCT_UPDATE(nextName()), part);
      const op = await waitForBulkOperation(s, id, poll);
      for (const r of await collect(bulkMutationResults(op, lineCount))) {
        expect(r.missing).toBe(false);
        const title = (r.data as { productUpdate: { product: { title: string } } }).productUpdate.product
          .title;
        expect(title).toBe(titles[firstIndex + r.lineNumber]);
        seen.push(firstIndex + r.lineNumber);
      }
    }
    expect(parts).toBeGreaterThan(1);
    expect(seen.sort((a, b) => a - b)).toEqual(titles.map((_, i) => i));
    expect(await titleOf(products[1] as string)).toBe('part line 8');
  });

  it('a submitted operation can be read by id', async () => {
    const id = await submitBulkMutation(
      s,
      PRODUCT_UPDATE(nextName()),
      await onePart([{ product: { id: products[0], title: 'by id' } }]),
    );
    const op = await getBulkOperation(s, id);
    expect(op?.id).toBe(id);
    expect(operationNameOf(op?.query ?? '')).toMatch(/^RetailosRepair_/);
  });
});
