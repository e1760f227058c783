import { updateProduct } from '../../core/products.ts';
import type { Queryable } from '../../db/db.ts';
import { deleteProductRow, getProduct, getProducts } from '../../db/products.ts';
import { dropVariantsNotIn, upsertProductBatch, type ProductBatchRow } from '../../db/product-batch.ts';
import {
  gidsOf,
  linkIds,
  linkNewIds,
  localIdsOf,
  unlinkedLocalIdByKey,
  unlinkLocal,
} from '../../db/shopify-id-map.ts';
import type { SyncBaseRow } from '../../db/shopify-sync-base.ts';
import type { Product } from '../../domain/entities.ts';
import type { MergeInput } from '../../domain/merge.ts';
import { mergeProduct } from '../../domain/merge-product.ts';
import { variantEditKey } from '../../domain/product-edit-keys.ts';
import { PRODUCT_MERGE_RULES, VARIANT_KEY } from '../../domain/merge-rules.ts';
import type { ProductInput, VariantInput } from '../../domain/product-input.ts';
import {
  mapProduct,
  canonicalJson,
  productSnapshot,
  variantsInSnapshotOrder,
  type Json,
  type ProductFromShopify,
  type ShopifyProduct,
  type ShopifyVariant,
} from '../../domain/shopify-map/index.ts';
import { writeDelta } from '../../domain/shopify-map/write-delta.ts';
import { PermanentError } from '../../errors.ts';
import type { ShopSession } from '../shop-session.ts';
import type { AdapterMerge, BulkPush, EntityAdapter } from './adapter.ts';
import { localWrites } from './local-writes.ts';
import {
  assignIds,
  freshLinks,
  linkNew,
  prepareRecords,
  type BatchContext,
  type Planned,
  type PreparedBatch,
} from './batch.ts';
import type { RecordGroup } from './record-group.ts';
import { changedFields, differs, type SnapshotObject } from './snapshot-write.ts';
import { call, refuseOn, type UserError } from './shopify-write.ts';

/** The product and variant fields Retailos syncs, as GraphQL selects them (read, bulk read, productSet's answer). */
export const PRODUCT_FIELDS = `id title handle descriptionHtml vendor productType status tags createdAt updatedAt`;
export const VARIANT_FIELDS = `id sku barcode price compareAtPrice position selectedOptions { name value } inventoryItem { id }`;

const READ = `query ProductForSync($id: ID!, $after: String) {
  product(id: $id) {
    ${PRODUCT_FIELDS}
    variants(first: 100, after: $after) { pageInfo { hasNextPage endCursor } nodes { ${VARIANT_FIELDS} } }
  }
}`;

const SET = `mutation PushProduct($identifier: ProductSetIdentifiers, $input: ProductSetInput!) {
  productSet(identifier: $identifier, input: $input, synchronous: true) {
    product { ${PRODUCT_FIELDS} variants(first: 100) { pageInfo { hasNextPage endCursor } nodes { ${VARIANT_FIELDS} } } }
    userErrors { field message code }
  }
}`;

const BY_HANDLE = `query ProductByHandle($identifier: ProductIdentifierInput!) {
  productByIdentifier(identifier: $identifier) { id }
}`;

const DELETE = `mutation DeleteProduct($input: ProductDeleteInput!) {
  productDelete(input: $input) { deletedProductId userErrors { field message } }
}`;

interface ProductNode extends ShopifyProduct {
  variants: { pageInfo: { hasNextPage: boolean; endCursor: string | null }; nodes: ShopifyVariant[] };
}

function mapped(node: ProductNode, variants: ShopifyVariant[]): ProductFromShopify {
  const m = mapProduct(node, variants);
  if (!m.ok)
    throw new PermanentError(`Shopify's product ${node.id} cannot be mapped: ${m.reason}`, 'mapping');
  return m.value;
}

async function readProduct(s: ShopSession, gid: string): Promise<ProductFromShopify | undefined> {
  const variants: ShopifyVariant[] = [];
  let after: string | null = null;
  for (;;) {
    const res: { data: { product: ProductNode | null } } = await call(s, READ, { id: gid, after });
    const node = res.data.product;
    if (!node) return undefined;
    variants.push(...node.variants.nodes);
    if (!node.variants.pageInfo.hasNextPage) return mapped(node, variants);
    after = node.variants.pageInfo.endCursor;
  }
}

/** A variant's identity across the two sides: its SKU, else its position. */
const variantKey = (v: { sku: string | null; position: number }): string => v.sku ?? `#${v.position}`;

interface SnapVariant {
  /** The variant's identity when the merge matched it by link: its GID, or `local:<id>` (see merge-product.ts). */
  [VARIANT_KEY]?: string;
  sku: string | null;
  barcode: string | null;
  price: string;
  compareAtPrice: string | null;
  position: number;
  optionValues: { name: string; value: string }[];
}
interface SnapProduct {
  title: string;
  handle: string;
  descriptionHtml: string;
  vendor: string;
  productType: string;
  status: string;
  tags: string[];
  variants: SnapVariant[];
}

const isGidList = (
  g: ReadonlyMap<string, string> | readonly (string | undefined)[],
): g is readonly (string | undefined)[] => Array.isArray(g);

/** productSet input for a merged snapshot: variants Shopify knows keep their id, the rest are created. */
export function productSetInput(
  snap: SnapProduct,
  variantGids: ReadonlyMap<string, string> | readonly (string | undefined)[],
): Record<string, unknown> {
  const optionNames: string[] = [];
  const values = new Map<string, string[]>();
  for (const v of snap.variants) {
    for (const o of v.optionValues) {
      if (!values.has(o.name)) {
        optionNames.push(o.name);
        values.set(o.name, []);
      }
      const list = values.get(o.name) as string[];
      if (!list.includes(o.value)) list.push(o.value);
    }
  }
  const noOptions = optionNames.length === 0;
  return {
    title: snap.title,
    handle: snap.handle,
    descriptionHtml: snap.descriptionHtml,
    vendor: snap.vendor,
    productType: snap.productType,
    status: snap.status.toUpperCase(),
    tags: snap.tags,
    productOptions: noOptions
      ? [{ name: 'Title', values: [{ name: 'Default Title' }] }]
      : optionNames.map((name) => ({ name, values: (values.get(name) ?? []).map((v) => ({ name: v })) })),
    variants: snap.variants.map((v, i) => {
      const gid = isGidList(variantGids) ? variantGids[i] : variantGids.get(variantKey(v));
      return {
        ...(gid ? { id: gid } : {}),
        sku: v.sku ?? '',
        barcode: v.barcode,
        price: v.price,
        compareAtPrice: v.compareAtPrice,
        position: v.position,
        optionValues: noOptions
          ? [{ optionName: 'Title', name: 'Default Title' }]
          : v.optionValues.map((o) => ({ optionName: o.name, name: o.value })),
      };
    }),
  };
}

/**
 * productSet's input holding only what changes against `was`, the same input built from the product as
 * read (see writeDelta): a Shopify edit of another field, or of another variant's, made between our
 * read and our write survives it. `variants` and `productOptions` go together (Shopify wants both or
 * neither): both are left out when no variant changes, else both are sent, each variant with its id,
 * its option values and only its changed fields.
 */
export function productSetDelta(
  next: Record<string, unknown>,
  was: Record<string, unknown> | undefined,
): Record<string, unknown> {
  if (!was) return next;
  const delta = writeDelta(next, was, {
    keep: ['productOptions'],
    lists: { variants: { keep: ['id', 'optionValues'] } },
  });
  const same = (k: string) => canonicalJson(next[k]) === canonicalJson(was[k]);
  if (same('variants') && same('productOptions')) {
    delete delta['variants'];
    delete delta['productOptions'];
  }
  return delta;
}

/** productSet's input for the product as Shopify holds it, each variant with its own id. */
const inputAsRead = (r: ProductFromShopify): Record<string, unknown> =>
  productSetInput(
    productSnapshot(r) as unknown as SnapProduct,
    variantsInSnapshotOrder(r.variants).map((v) => v.gid),
  );

/**
 * Shopify's variant id for each variant of a merged snapshot, by key (SKU, else position). A variant whose
 * SKU changed has a key Shopify does not know: it takes the id of Shopify's variant at its position whose
 * key the merge no longer holds (the same variant before the change), so productSet edits that variant in
 * place instead of deleting it and creating another (new ids, stock and order lines cut off from it).
 */
export function variantGidsFor(
  merged: readonly { sku: string | null; position: number }[],
  remote: readonly { sku: string | null; position: number; gid: string }[],
): Map<string, string> {
  const byKey = new Map(remote.map((v) => [variantKey(v), v.gid]));
  const kept = new Set(merged.map(variantKey));
  const spare = new Map(remote.filter((v) => !kept.has(variantKey(v))).map((v) => [v.position, v.gid]));
  const out = new Map<string, string>();
  for (const v of merged) {
    const key = variantKey(v);
    const gid = byKey.get(key) ?? spare.get(v.position);
    if (!gid) continue;
    out.set(key, gid);
    spare.delete(v.position);
  }
  return out;
}

/**
 * Shopify's variant id for each variant of a snapshot the merge matched by link (each has its `$key`), in
 * the snapshot's order: its GID when Shopify still has that variant; none for a variant new on
 * Shopify (`local:<id>`) or one Shopify deleted while Retailos edited it (made again). Undefined when the
 * variants carry no keys (a creation, or a merge that did not match by link).
 */
export function linkedGidsFor(
  merged: readonly SnapVariant[],
  remote: readonly { gid: string }[],
): (string | undefined)[] | undefined {
  if (merged.length === 0 || !merged.every((v) => typeof v[VARIANT_KEY] === 'string')) return undefined;
  const onShopify = new Set(remote.map((v) => v.gid));
  return merged.map((v) => {
    const key = v[VARIANT_KEY] as string;
    return onShopify.has(key) ? key : undefined;
  });
}

/** The sync base's links of a Shopify product: its variants' GIDs in snapshot order. */
export const productBaseLinks = (r: ProductFromShopify): Json => ({
  variants: variantsInSnapshotOrder(r.variants).map((v) => v.gid),
});

/** The GIDs a base's links give its variants, when they are links of this snapshot (else null). */
function baseGidsOf(base: SyncBaseRow | undefined, snapshot: Json | null): (string | null)[] | null {
  if (!base || snapshot === null || canonicalJson(base.snapshot) !== canonicalJson(snapshot)) return null;
  const links = base.links as { variants?: unknown } | undefined;
  const gids = links?.variants;
  return Array.isArray(gids) ? gids.map((g) => (typeof g === 'string' ? g : null)) : null;
}

/**
 * The product merge by link (domain/merge-product.ts): each local variant's GID from the id map, whether
 * the id map knows each of Shopify's variants, and the base's GIDs (an echo's base is Shopify's state).
 */
async function mergeProducts(
  q: Queryable,
  tenantId: string,
  input: MergeInput,
  sides: { base: SyncBaseRow | undefined; local: Product; remote: ProductFromShopify },
): Promise<AdapterMerge> {
  const localVariants = variantsInSnapshotOrder(sides.local.variants);
  const remoteVariants = variantsInSnapshotOrder(sides.remote.variants);
  const gids = await gidsOf(
    q,
    tenantId,
    'variant',
    localVariants.map((v) => v.id),
  );
  const linked = await localIdsOf(
    q,
    tenantId,
    'variant',
    remoteVariants.map((v) => v.gid),
  );
  const echo = input.base !== null && canonicalJson(input.base) === canonicalJson(input.remote);
  const m = mergeProduct({
    ...input,
    baseGids: baseGidsOf(sides.base, input.base) ?? (echo ? remoteVariants.map((v) => v.gid) : null),
    localVariants: localVariants.map((v) => ({ id: v.id, gid: gids.get(v.id) ?? null })),
    remoteVariants: remoteVariants.map((v) => ({ gid: v.gid, linked: linked.has(v.gid) })),
  });
  return {
    merged: m.merged,
    conflicts: m.conflicts,
    toLocal: m.toLocal,
    toRemote: m.toRemote,
    toPush: m.keyed,
  };
}

/** productSet's variables that make Shopify hold `merged` (only what differs from `remote`, when given). */
function productPushVariables(
  merged: Json,
  at: { gid: string | null; remote: ProductFromShopify | undefined },
): Record<string, unknown> {
  const snap = merged as unknown as SnapProduct;
  const variantGids =
    linkedGidsFor(snap.variants, at.remote?.variants ?? []) ??
    variantGidsFor(snap.variants, at.remote?.variants ?? []);
  // A creation is keyed by its handle: a retry after a timeout finds the product made the first time.
  const identifier = at.gid ? { id: at.gid } : { handle: snap.handle };
  return {
    identifier,
    input: productSetDelta(
      productSetInput(snap, variantGids),
      at.gid && at.remote ? inputAsRead(at.remote) : undefined,
    ),
  };
}

/** What productSet answered: Shopify's product, 'read' when its variants need more pages; a refusal throws. */
function productPushAnswer(data: Record<string, unknown>, merged: Json): ProductFromShopify | 'read' {
  const r = data['productSet'] as { product: ProductNode | null; userErrors: UserError[] };
  refuseOn(`the product "${(merged as unknown as SnapProduct).title}"`, r.userErrors);
  if (!r.product) throw new PermanentError('productSet returned no product', 'shopify_no_product');
  return productOfNode(r.product as unknown as Record<string, unknown>);
}

const productOfNode = (n: Record<string, unknown>): ProductFromShopify | 'read' => {
  const node = n as unknown as ProductNode;
  return node.variants.pageInfo.hasNextPage ? 'read' : mapped(node, node.variants.nodes);
};

/**
 * Shopify's product with this handle, when there is one. A creation is keyed by its handle; when an
 * earlier attempt made the product and its answer was lost (a killed worker, a timeout), the retry must
 * not send the creation again: productSet replaces the variant list, so the variants it made, named by
 * no id, would be deleted and made again (new ids, their stock and order lines cut off), and Shopify
 * edits made since would be overwritten (issue 16, chaos). sync-entity.ts links it and merges instead.
 */
async function productWithHandle(s: ShopSession, handle: string): Promise<ProductFromShopify | undefined> {
  const { data } = await call<{ productByIdentifier: { id: string } | null }>(s, BY_HANDLE, {
    identifier: { handle },
  });
  return data.productByIdentifier ? readProduct(s, data.productByIdentifier.id) : undefined;
}

async function pushProduct(
  s: ShopSession,
  merged: Json,
  at: { gid: string | null; local: Product; remote: ProductFromShopify | undefined },
): Promise<ProductFromShopify> {
  const { data } = await call<Record<string, unknown>>(s, SET, productPushVariables(merged, at));
  const pushed = productPushAnswer(data, merged);
  if (pushed !== 'read') return pushed;
  const node = (data['productSet'] as { product: ProductNode }).product;
  return (await readProduct(s, node.id)) ?? mapped(node, node.variants.nodes);
}

/** Products pushed as lines of a bulk mutation (the reconciliation's bulk repairs, decision 0008). */
export const PRODUCT_BULK_PUSH: BulkPush<ProductFromShopify, Product> = {
  node: {
    type: 'Product',
    selection: `${PRODUCT_FIELDS} variants(first: 20) { pageInfo { hasNextPage endCursor } nodes { ${VARIANT_FIELDS} } }`,
    map: productOfNode,
  },
  mutation: SET,
  variables: productPushVariables,
  answer: productPushAnswer,
};

async function deleteProduct(s: ShopSession, gid: string): Promise<void> {
  const { data } = await call<{
    productDelete: { deletedProductId: string | null; userErrors: UserError[] };
  }>(s, DELETE, { input: { id: gid } });
  const errors = data.productDelete.userErrors.filter((e) => !/does not exist|not found/i.test(e.message));
  refuseOn('to delete the product', errors);
}

/**
 * Links Shopify's variants to the local variants they stand for (same SKU, else same position). With
 * `created` (Shopify's product is the one our own creating push made, each of its variants from ours at
 * the same place), a variant left unlinked by SKU is then linked to the unlinked local variant at its
 * position: the merchant may have changed that variant's SKU in Retailos while the push was answered.
 * Left unlinked, the next push would name it by no id and productSet, which deletes the variants its
 * list leaves out, would delete Shopify's variant and make another (issue 16, chaos).
 */
async function linkVariants(
  tx: Queryable,
  tenantId: string,
  remote: ProductFromShopify,
  localId: string,
  now: Date,
  created = false,
): Promise<void> {
  await linkIds(tx, tenantId, 'product', [{ gid: remote.gid, localId }], now);
  const local = await getProduct(tx, tenantId, localId);
  if (!local) return;
  const known = await localIdsOf(
    tx,
    tenantId,
    'variant',
    remote.variants.map((v) => v.gid),
  );
  const taken = new Set(known.values());
  const byKey = new Map(local.variants.map((v) => [variantKey(v), v.id]));
  const sameSku = remote.variants.flatMap((v) => {
    const id = known.has(v.gid) ? undefined : byKey.get(variantKey(v));
    if (!id || taken.has(id)) return [];
    taken.add(id);
    return [{ gid: v.gid, localId: id, item: v.inventoryItemGid }];
  });
  // Our creation's variants the SKUs left unlinked, by their place (local variants linked to none).
  const spare = new Map<number, string>();
  if (created) {
    const linkedLocal = await gidsOf(
      tx,
      tenantId,
      'variant',
      local.variants.map((v) => v.id),
    );
    for (const v of local.variants)
      if (!taken.has(v.id) && !linkedLocal.has(v.id)) spare.set(v.position, v.id);
  }
  const skuLinked = new Set(sameSku.map((l) => l.gid));
  const byPosition = remote.variants.flatMap((v) => {
    const id = known.has(v.gid) || skuLinked.has(v.gid) ? undefined : spare.get(v.position);
    if (!id) return [];
    spare.delete(v.position);
    return [{ gid: v.gid, localId: id, item: v.inventoryItemGid }];
  });
  const links = [...sameSku, ...byPosition];
  await linkIds(tx, tenantId, 'variant', links, now);
  await linkIds(
    tx,
    tenantId,
    'inventory_item',
    links.flatMap((l) => (l.item ? [{ gid: l.item, localId: l.localId }] : [])),
    now,
  );
}

const PRODUCT_WRITABLE = ['title', 'handle', 'descriptionHtml', 'vendor', 'productType', 'status', 'tags'];

/**
 * The back office's product input that makes `record` hold the `target` snapshot: the changed fields;
 * when variants changed, the complete list matched to the current variants' ids by key (SKU, else
 * position; a target variant whose SKU the record no longer has, by position).
 */
export function productInputFor(
  record: Product,
  target: SnapshotObject,
  current: SnapshotObject,
): ProductInput {
  const input = changedFields(PRODUCT_WRITABLE, target, current) as ProductInput;
  if (!differs(target['variants'], current['variants'])) return input;
  const targets = target['variants'] as unknown as SnapVariant[];
  const byKey = new Map(record.variants.map((v) => [variantKey(v), v]));
  const matched = targets.map((tv) => byKey.get(variantKey(tv)));
  // A variant whose SKU the target changes back has a key the record lacks: it is the record's variant
  // at its position that no other target variant took (kept, not removed and made again).
  const taken = new Set(matched.flatMap((v) => (v ? [v.id] : [])));
  const spare = new Map(record.variants.filter((v) => !taken.has(v.id)).map((v) => [v.position, v]));
  const kept = new Set<string>();
  input.variants = targets.map((tv, i): VariantInput => {
    let cur = matched[i];
    if (!cur) {
      cur = spare.get(tv.position);
      spare.delete(tv.position);
    }
    if (cur) kept.add(cur.id);
    return {
      ...(cur ? { id: cur.id } : {}),
      sku: tv.sku,
      barcode: tv.barcode,
      price: tv.price,
      compareAtPrice: tv.compareAtPrice,
      optionValues: tv.optionValues,
    };
  });
  const removed = record.variants.filter((v) => !kept.has(v.id)).map((v) => v.id);
  if (removed.length > 0) input.removeVariantIds = removed;
  return input;
}

/** Shopify's variants as the product merge names them (`variants[<GID>]`, merge-product.ts), each its snapshot. */
function variantElements(r: ProductFromShopify): ReadonlyMap<string, Json> {
  const snapshot = productSnapshot(r) as { variants?: Json[] };
  const variants = variantsInSnapshotOrder(r.variants);
  return new Map(variants.map((v, i) => [`variants[${v.gid}]`, snapshot.variants?.[i] ?? null]));
}

/** Shopify's product snapshot, each variant keyed by its GID (`$key`). */
function keyedProductSnapshot(r: ProductFromShopify): Json {
  const snapshot = productSnapshot(r) as unknown as { variants: Json[] } & Record<string, Json>;
  const gids = variantsInSnapshotOrder(r.variants).map((v) => v.gid);
  return {
    ...snapshot,
    variants: snapshot.variants.map((v, i) => ({
      ...(v as Record<string, Json>),
      [VARIANT_KEY]: gids[i] ?? null,
    })),
  };
}

/** The local variants linked to Shopify's, as the merge names them → as their change rows do. */
async function localVariantKeys(
  q: Queryable,
  tenantId: string,
  local: Product,
): Promise<ReadonlyMap<string, string>> {
  const gids = await gidsOf(
    q,
    tenantId,
    'variant',
    local.variants.map((v) => v.id),
  );
  return new Map([...gids].map(([id, gid]) => [`variants[${gid}]`, variantEditKey(id)]));
}

export function productAdapter(newId: () => string): EntityAdapter<ProductFromShopify, Product> {
  return {
    entity: 'product',
    rules: PRODUCT_MERGE_RULES,
    remoteSnapshot: (r) => productSnapshot(r),
    remoteElements: variantElements,
    keyedRemoteSnapshot: keyedProductSnapshot,
    localElementKeys: localVariantKeys,
    localSnapshot: (l) => productSnapshot(l),
    loadLocal: (q, tenantId, id, forUpdate) => getProduct(q, tenantId, id, forUpdate),
    loadLocals: (q, tenantId, ids, forUpdate) => getProducts(q, tenantId, ids, forUpdate),
    readRemote: readProduct,
    findCreated: (s, local) => productWithHandle(s, local.handle),
    pushRemote: pushProduct,
    bulkPush: PRODUCT_BULK_PUSH,
    deleteRemote: deleteProduct,
    merge: mergeProducts,
    baseLinks: productBaseLinks,
    // productSet creates by handle: Shopify's product with the handle of an unlinked one is ours.
    unlinkedMatch: (tx, tenantId, remote) => unlinkedLocalIdByKey(tx, tenantId, 'product', remote.handle),
    ...localWrites({
      kind: 'product',
      newId,
      snapshot: productSnapshot,
      upsert: upsertProducts,
      deleteRow: deleteProductRow,
      link: linkVariants,
      linkCreated: (tx, tenantId, remote, localId, now) =>
        linkVariants(tx, tenantId, remote, localId, now, true),
    }),
    writeSnapshot: async (db, ctx, record, target, current) => {
      await updateProduct(db, ctx, record.id, productInputFor(record, target, current));
    },
    displayName: (s) => String((s as { title?: unknown }).title ?? ''),
    searchWords: (s) => {
      const p = s as unknown as Partial<SnapProduct>;
      return [p.handle ?? '', ...(p.variants ?? []).flatMap((v) => (v.sku ? [v.sku] : []))];
    },
  };
}

/** Writes Shopify's products and variants to Retailos (set-based; ids from the id map). */
export async function upsertProducts(
  tx: Queryable,
  ctx: BatchContext,
  items: readonly Planned<ProductFromShopify>[],
): Promise<Map<string, string>> {
  const t = ctx.tenantId;
  const products = items.map((i) => i.mapped);
  const variants = products.flatMap((p) => p.variants);
  const knownProducts = await localIdsOf(
    tx,
    t,
    'product',
    products.map((p) => p.gid),
  );
  const knownVariants = await localIdsOf(
    tx,
    t,
    'variant',
    variants.map((v) => v.gid),
  );
  const productIds = assignIds(
    knownProducts,
    products.map((p) => p.gid),
    ctx.newId,
  );
  const variantIds = assignIds(
    knownVariants,
    variants.map((v) => v.gid),
    ctx.newId,
  );
  // Variants a known product no longer has on Shopify go; SKUs of kept ones are freed so they can move.
  const gone = await dropVariantsNotIn(
    tx,
    t,
    [...knownProducts.values()],
    [...variantIds.values()],
    [...knownVariants.values()],
  );
  await unlinkLocal(tx, t, 'variant', gone);
  await unlinkLocal(tx, t, 'inventory_item', gone);
  const rows: ProductBatchRow[] = products.map((p) => ({
    id: productIds.get(p.gid) as string,
    title: p.title,
    handle: p.handle,
    descriptionHtml: p.descriptionHtml,
    vendor: p.vendor,
    productType: p.productType,
    status: p.status,
    tags: p.tags,
    variants: p.variants.map((v) => ({
      id: variantIds.get(v.gid) as string,
      sku: v.sku,
      barcode: v.barcode,
      price: v.price,
      compareAtPrice: v.compareAtPrice,
      optionValues: v.optionValues,
      position: v.position,
    })),
    createdAt: p.createdAt,
    updatedAt: p.updatedAt,
  }));
  await upsertProductBatch(tx, t, ctx.changeRows ? 'shopify' : null, rows);
  await linkNew(tx, ctx, 'product', freshLinks(productIds, knownProducts));
  await linkNewIds(tx, t, 'variant', freshLinks(variantIds, knownVariants), ctx.now);
  // A new variant's inventory item cannot be linked yet; a known one's usually is, and keeps its link.
  const itemLinks = (known: boolean) =>
    variants.flatMap((v) =>
      v.inventoryItemGid && knownVariants.has(v.gid) === known
        ? [{ gid: v.inventoryItemGid, localId: variantIds.get(v.gid) as string }]
        : [],
    );
  await linkNewIds(tx, t, 'inventory_item', itemLinks(false), ctx.now);
  await linkIds(tx, t, 'inventory_item', itemLinks(true), ctx.now);
  return productIds;
}

/** One batch of product groups (product line + variant lines). */
export function prepareProductBatch(groups: readonly RecordGroup[]): PreparedBatch {
  return prepareRecords(
    groups,
    'product',
    (g) => mapProduct(g.root as unknown as ShopifyProduct, g.children as unknown as ShopifyVariant[]),
    productSnapshot,
    upsertProducts,
    (p) => p.updatedAt,
    productBaseLinks,
  );
}
