import { nowSeconds } from './clock.ts';
import { nextId } from './ids.ts';
import { StoreError, type Store } from './store.ts';
import type { MetafieldDefinitionRecord, MetafieldOwnerType, MetafieldRecord, ShopData } from './types.ts';

/**
 * Metafields of products and customers, metafield definitions and the `uniqueValues` capability.
 *
 * Namespaces here are already resolved: the GraphQL layer turns `$app` / `$app:x` / an omitted
 * namespace into `app--<app id>` / `app--<app id>--x` (see `appNamespace`).
 */

/** Metafield types the emulator stores and validates. Others answer "not implemented" in GraphQL. */
export const METAFIELD_TYPES: ReadonlySet<string> = new Set([
  'id',
  'single_line_text_field',
  'multi_line_text_field',
  'number_integer',
  'boolean',
  'json',
]);

/**
 * Types eligible for `uniqueValues` (Shopify also lists `url`, which the emulator does not store).
 * `id` has it always: required and enabled by default.
 */
export const UNIQUE_ELIGIBLE_TYPES: ReadonlySet<string> = new Set([
  'id',
  'single_line_text_field',
  'number_integer',
]);

/**
 * The app's numeric API client id, derived from its API key (the emulator's apps have no other id):
 * a stable 12-digit number, as Shopify's are.
 */
export function appClientId(apiKey: string): string {
  let hash = 0xcbf29ce484222325n;
  for (const byte of Buffer.from(apiKey, 'utf8')) {
    hash ^= BigInt(byte);
    hash = (hash * 0x100000001b3n) & 0xffffffffffffffffn;
  }
  return String(100_000_000_000n + (hash % 900_000_000_000n));
}

/**
 * A namespace as Shopify stores it: omitted (null/undefined) or `$app` → `app--<id>`,
 * `$app:x` → `app--<id>--x`, anything else as given.
 */
export function appNamespace(apiKey: string, namespace?: string | null): string {
  const base = `app--${appClientId(apiKey)}`;
  if (namespace === null || namespace === undefined || namespace === '$app') return base;
  if (namespace.startsWith('$app:')) return `${base}--${namespace.slice('$app:'.length)}`;
  return namespace;
}

function ownerKey(ownerType: MetafieldOwnerType, ownerId: number): string {
  return `${ownerType}:${ownerId}`;
}

function valueKey(ownerType: MetafieldOwnerType, namespace: string, key: string, value: string): string {
  return [ownerType, namespace, key, value].join('\u0000');
}

export function findDefinition(
  shop: ShopData,
  ownerType: MetafieldOwnerType,
  namespace: string,
  key: string,
): MetafieldDefinitionRecord | undefined {
  for (const d of shop.metafieldDefinitions.values())
    if (d.ownerType === ownerType && d.namespace === namespace && d.key === key) return d;
  return undefined;
}

/** The owner's metafields, oldest first (a live array: do not mutate). */
export function metafieldsOf(
  shop: ShopData,
  ownerType: MetafieldOwnerType,
  ownerId: number,
): readonly MetafieldRecord[] {
  return shop.metafields.get(ownerKey(ownerType, ownerId)) ?? [];
}

/** True when some owner of the type has a metafield under this namespace and key. */
export function hasMetafieldsUnder(
  shop: ShopData,
  ownerType: MetafieldOwnerType,
  namespace: string,
  key: string,
): boolean {
  for (const list of shop.metafields.values())
    for (const m of list)
      if (m.ownerType === ownerType && m.namespace === namespace && m.key === key) return true;
  return false;
}

/** Metafields under a definition (its `metafieldsCount`). */
export function countUnder(shop: ShopData, definition: MetafieldDefinitionRecord): number {
  let n = 0;
  for (const list of shop.metafields.values())
    for (const m of list)
      if (
        m.ownerType === definition.ownerType &&
        m.namespace === definition.namespace &&
        m.key === definition.key
      )
        n++;
  return n;
}

/** Owner holding `value` under a unique-values definition, if any. */
export function ownerOfUniqueValue(
  shop: ShopData,
  ownerType: MetafieldOwnerType,
  namespace: string,
  key: string,
  value: string,
): number | undefined {
  return shop.uniqueMetafieldValues.get(valueKey(ownerType, namespace, key, value));
}

export interface DefinitionInput {
  ownerType: MetafieldOwnerType;
  namespace: string;
  key: string;
  name: string;
  description: string | null;
  type: string;
  uniqueValues: boolean;
}

/** Creates a definition; CONFLICT when the owner type already has one under this namespace and key. */
export function createMetafieldDefinition(
  store: Store,
  shop: ShopData,
  input: DefinitionInput,
): MetafieldDefinitionRecord {
  if (findDefinition(shop, input.ownerType, input.namespace, input.key))
    throw new StoreError('CONFLICT', 'definition exists');
  if (hasMetafieldsUnder(shop, input.ownerType, input.namespace, input.key))
    throw new StoreError('INVALID', 'metafields exist under this namespace and key');
  const at = nowSeconds(store.clock);
  const definition: MetafieldDefinitionRecord = {
    id: nextId(shop, 'MetafieldDefinition'),
    ...input,
    createdAt: at,
    updatedAt: at,
  };
  shop.metafieldDefinitions.set(definition.id, definition);
  return definition;
}

/** One metafield to write on an owner. `type` undefined: the definition's (or the existing one's). */
export interface MetafieldWrite {
  namespace: string;
  key: string;
  type?: string;
  value: string;
}

export type MetafieldProblemKind =
  'BLANK_VALUE' | 'TYPE_REQUIRED' | 'TYPE_MISMATCH' | 'INVALID_VALUE' | 'DUPLICATE' | 'TAKEN';

export interface MetafieldProblem {
  /** Index of the write in the list checked. */
  index: number;
  kind: MetafieldProblemKind;
  message: string;
}

/** The type a write will have: given, else the definition's, else the existing metafield's. */
export function effectiveType(
  shop: ShopData,
  ownerType: MetafieldOwnerType,
  ownerId: number | null,
  write: MetafieldWrite,
): string | undefined {
  const definition = findDefinition(shop, ownerType, write.namespace, write.key);
  if (definition) return definition.type;
  if (write.type !== undefined) return write.type;
  if (ownerId === null) return undefined;
  return metafieldsOf(shop, ownerType, ownerId).find(
    (m) => m.namespace === write.namespace && m.key === write.key,
  )?.type;
}

function valueProblem(type: string, value: string): string | null {
  switch (type) {
    case 'single_line_text_field':
      return /[\r\n]/.test(value) ? 'Value must be a single line of text.' : null;
    case 'number_integer':
      return /^[-+]?\d+$/.test(value) ? null : 'Value must be an integer.';
    case 'boolean':
      return value === 'true' || value === 'false' ? null : 'Value must be true or false.';
    case 'json':
      try {
        JSON.parse(value);
        return null;
      } catch {
        return 'Value is invalid JSON.';
      }
    default:
      return null;
  }
}

/**
 * Checks writes for one or more owners before anything changes (all or nothing). `ownerId` null is
 * the record being created. Returns the first problem, or null.
 */
export function checkMetafieldWrites(
  shop: ShopData,
  ownerType: MetafieldOwnerType,
  writes: readonly (MetafieldWrite & { ownerId: number | null })[],
): MetafieldProblem | null {
  const seen = new Set<string>();
  const claimed = new Map<string, number | null>();
  for (const [index, write] of writes.entries()) {
    const slot = `${write.ownerId}\u0000${write.namespace}\u0000${write.key}`;
    if (seen.has(slot))
      return { index, kind: 'DUPLICATE', message: 'The same namespace and key are given twice.' };
    seen.add(slot);
    if (write.value === '') return { index, kind: 'BLANK_VALUE', message: "Value can't be blank." };
    const definition = findDefinition(shop, ownerType, write.namespace, write.key);
    if (definition && write.type !== undefined && write.type !== definition.type) {
      return {
        index,
        kind: 'TYPE_MISMATCH',
        message: `Type must be ${definition.type} to match the metafield definition.`,
      };
    }
    const type = effectiveType(shop, ownerType, write.ownerId, write);
    if (type === undefined) return { index, kind: 'TYPE_REQUIRED', message: "Type can't be blank." };
    const invalid = valueProblem(type, write.value);
    if (invalid !== null) return { index, kind: 'INVALID_VALUE', message: invalid };
    if (definition?.uniqueValues) {
      const vk = valueKey(ownerType, write.namespace, write.key, write.value);
      const holder = shop.uniqueMetafieldValues.get(vk);
      const other = claimed.has(vk) ? claimed.get(vk) : undefined;
      if (
        (holder !== undefined && holder !== write.ownerId) ||
        (claimed.has(vk) && other !== write.ownerId)
      ) {
        return { index, kind: 'TAKEN', message: 'Value is already taken by another resource.' };
      }
      claimed.set(vk, write.ownerId);
    }
  }
  return null;
}

function unindex(shop: ShopData, m: MetafieldRecord): void {
  const vk = valueKey(m.ownerType, m.namespace, m.key, m.value);
  if (shop.uniqueMetafieldValues.get(vk) === m.ownerId) shop.uniqueMetafieldValues.delete(vk);
}

function index(shop: ShopData, m: MetafieldRecord): void {
  if (findDefinition(shop, m.ownerType, m.namespace, m.key)?.uniqueValues)
    shop.uniqueMetafieldValues.set(valueKey(m.ownerType, m.namespace, m.key, m.value), m.ownerId);
}

/**
 * Writes metafields on an owner (checked first with `checkMetafieldWrites`): an existing namespace +
 * key is updated, others created. `replace`: the owner's metafields not written are deleted
 * (productSet's list semantics). Returns the records written, in input order.
 */
export function writeMetafields(
  store: Store,
  shop: ShopData,
  ownerType: MetafieldOwnerType,
  ownerId: number,
  writes: readonly MetafieldWrite[],
  replace: boolean,
): MetafieldRecord[] {
  const at = nowSeconds(store.clock);
  const key = ownerKey(ownerType, ownerId);
  const list = [...(shop.metafields.get(key) ?? [])];
  const written: MetafieldRecord[] = [];
  for (const write of writes) {
    const type = effectiveType(shop, ownerType, ownerId, write);
    if (type === undefined)
      throw new StoreError('INVALID', `metafield ${write.namespace}.${write.key} has no type`);
    const existing = list.find((m) => m.namespace === write.namespace && m.key === write.key);
    if (existing) {
      if (existing.value !== write.value || existing.type !== type) {
        unindex(shop, existing);
        existing.value = write.value;
        existing.type = type;
        existing.updatedAt = at;
        index(shop, existing);
      }
      written.push(existing);
      continue;
    }
    const record: MetafieldRecord = {
      id: nextId(shop, 'Metafield'),
      ownerType,
      ownerId,
      namespace: write.namespace,
      key: write.key,
      type,
      value: write.value,
      createdAt: at,
      updatedAt: at,
    };
    list.push(record);
    index(shop, record);
    written.push(record);
  }
  const kept = replace ? list.filter((m) => written.includes(m)) : list;
  for (const m of list) if (!kept.includes(m)) unindex(shop, m);
  if (kept.length === 0) shop.metafields.delete(key);
  else shop.metafields.set(key, kept);
  return written;
}

/** Drops an owner's metafields (the owner is deleted). */
export function dropMetafields(shop: ShopData, ownerType: MetafieldOwnerType, ownerId: number): void {
  const key = ownerKey(ownerType, ownerId);
  for (const m of shop.metafields.get(key) ?? []) unindex(shop, m);
  shop.metafields.delete(key);
}
