/**
 * Product, variant, inventory item, inventory level and location views: they link to one another
 * (variant ⇄ inventory item ⇄ level ⇄ location), so they share a module.
 */
import {
  externalId,
  gid,
  idOf,
  inventoryLevelGid,
  QUANTITY_NAMES,
  quantityOf,
  type InventoryItemRecord,
  type InventoryLevelRecord,
  type LocationRecord,
  type ProductRecord,
  type QuantityName,
  type ShopData,
  type VariantRecord,
} from '../../store/index.ts';
import type { PageArgs } from '../connection.ts';
import type { ExecContext } from '../context.ts';
import { requestError } from '../errors.ts';
import { metafieldOf, metafieldsConnection, type MetafieldArgs, type MetafieldsArgs } from './metafields.ts';
import {
  connectionView,
  countView,
  iso,
  legacyId,
  listConnection,
  moneyV2,
  PAGE_ARGS,
  rejectUnknownArgs,
  type View,
} from './common.ts';

function variantsOf(shop: ShopData, product: ProductRecord): VariantRecord[] {
  return product.variantIds.flatMap((id) => shop.variants.get(id) ?? []);
}

/** Sum of `available` over the variant's levels (Shopify's inventoryQuantity). */
export function inventoryQuantity(shop: ShopData, variant: VariantRecord): number {
  const item = shop.inventoryItems.get(variant.inventoryItemId);
  let total = 0;
  if (item) for (const level of item.levels.values()) total += level.quantities.available;
  return total;
}

function stripHtml(html: string): string {
  return html
    .replace(/<[^>]*>/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

type VariantArgs = PageArgs & { reverse?: boolean | null; sortKey?: string | null };
type ConnArgs = PageArgs & { reverse?: boolean | null; query?: string | null };

/** Product view with lazy getters: only selected fields are computed. */
class ProductView {
  readonly __typename = 'Product';
  readonly #ctx: ExecContext;
  readonly #p: ProductRecord;

  constructor(ctx: ExecContext, product: ProductRecord) {
    this.#ctx = ctx;
    this.#p = product;
  }

  get id() {
    return gid('Product', this.#p.id);
  }
  get legacyResourceId() {
    return legacyId(this.#p.id);
  }
  get title() {
    return this.#p.title;
  }
  get handle() {
    return this.#p.handle;
  }
  get descriptionHtml() {
    return this.#p.descriptionHtml;
  }
  get description() {
    return stripHtml(this.#p.descriptionHtml);
  }
  get vendor() {
    return this.#p.vendor;
  }
  get productType() {
    return this.#p.productType;
  }
  get status() {
    return this.#p.status;
  }
  get tags() {
    return this.#p.tags;
  }
  get createdAt() {
    return iso(this.#p.createdAt);
  }
  get updatedAt() {
    return iso(this.#p.updatedAt);
  }
  get publishedAt() {
    return iso(this.#p.publishedAt);
  }
  get hasOnlyDefaultVariant() {
    return this.#p.variantIds.length === 1 && this.#p.options[0]?.name === 'Title';
  }
  get variantsCount() {
    return countView(this.#p.variantIds.length);
  }

  get totalInventory() {
    const shop = this.#ctx.shop;
    return variantsOf(shop, this.#p).reduce((sum, v) => sum + inventoryQuantity(shop, v), 0);
  }

  get tracksInventory() {
    const shop = this.#ctx.shop;
    return variantsOf(shop, this.#p).some(
      (v) => shop.inventoryItems.get(v.inventoryItemId)?.tracked === true,
    );
  }

  options(args: { first?: number | null }) {
    const variants = variantsOf(this.#ctx.shop, this.#p);
    return this.#p.options.slice(0, args.first ?? undefined).map((o) => ({
      id: gid('ProductOption', o.id),
      name: o.name,
      position: o.position,
      values: o.values,
      optionValues: o.values.map((value, i) => ({
        id: gid('ProductOptionValue', o.id * 1000 + i),
        name: value,
        hasVariants: variants.some((v) =>
          v.selectedOptions.some((s) => s.name === o.name && s.value === value),
        ),
      })),
    }));
  }

  metafield(args: MetafieldArgs) {
    return metafieldOf(this.#ctx, 'PRODUCT', this.#p.id, args);
  }

  metafields(args: MetafieldsArgs) {
    return metafieldsConnection(this.#ctx, 'PRODUCT', this.#p.id, args, 'Product');
  }

  variants(args: VariantArgs) {
    rejectUnknownArgs(args, [...PAGE_ARGS, 'sortKey'], 'Product.variants');
    if (args.sortKey && args.sortKey !== 'POSITION' && args.sortKey !== 'ID') {
      throw requestError(
        `Sort key ${args.sortKey} on Product.variants is not implemented in the Shopify emulator`,
        'NOT_IMPLEMENTED_IN_EMULATOR',
      );
    }
    const ctx = this.#ctx;
    const list = variantsOf(ctx.shop, this.#p);
    const byId = args.sortKey === 'ID' ? [...list].sort((a, b) => a.id - b.id) : list;
    const key = args.sortKey === 'ID' ? (v: VariantRecord) => v.id : (v: VariantRecord) => v.position;
    const reverse = args.reverse === true;
    const items = reverse ? [...byId].reverse() : byId;
    return connectionView(ctx, { items, key, id: (v) => v.id, reverse }, args, (v) => variantView(ctx, v));
  }
}

export function productView(ctx: ExecContext, product: ProductRecord): View {
  return new ProductView(ctx, product) as unknown as View;
}

/** Variant view with lazy getters. */
class VariantView {
  readonly __typename = 'ProductVariant';
  readonly availableForSale = true;
  readonly #ctx: ExecContext;
  readonly #v: VariantRecord;

  constructor(ctx: ExecContext, variant: VariantRecord) {
    this.#ctx = ctx;
    this.#v = variant;
  }

  get id() {
    return gid('ProductVariant', this.#v.id);
  }
  get legacyResourceId() {
    return legacyId(this.#v.id);
  }
  get title() {
    return this.#v.title;
  }
  get displayName() {
    return `${this.#ctx.shop.products.get(this.#v.productId)?.title ?? ''} - ${this.#v.title}`;
  }
  get sku() {
    return this.#v.sku || null;
  }
  get barcode() {
    return this.#v.barcode;
  }
  get price() {
    return this.#v.price;
  }
  get compareAtPrice() {
    return this.#v.compareAtPrice;
  }
  get position() {
    return this.#v.position;
  }
  get selectedOptions() {
    return this.#v.selectedOptions;
  }
  get inventoryPolicy() {
    return this.#v.inventoryPolicy;
  }
  get taxable() {
    return this.#v.taxable;
  }
  get inventoryQuantity() {
    return inventoryQuantity(this.#ctx.shop, this.#v);
  }
  get createdAt() {
    return iso(this.#v.createdAt);
  }
  get updatedAt() {
    return iso(this.#v.updatedAt);
  }

  get product() {
    const product = this.#ctx.shop.products.get(this.#v.productId);
    return product ? productView(this.#ctx, product) : null;
  }

  get inventoryItem() {
    const item = this.#ctx.shop.inventoryItems.get(this.#v.inventoryItemId);
    return item ? inventoryItemView(this.#ctx, item) : null;
  }
}

export function variantView(ctx: ExecContext, variant: VariantRecord): View {
  return new VariantView(ctx, variant) as unknown as View;
}

export function inventoryItemView(ctx: ExecContext, item: InventoryItemRecord): View {
  const shop = ctx.shop;
  const levels = () => [...item.levels.values()].sort((a, b) => a.locationId - b.locationId);
  return {
    __typename: 'InventoryItem',
    id: gid('InventoryItem', item.id),
    legacyResourceId: legacyId(item.id),
    sku: item.sku || null,
    tracked: item.tracked,
    requiresShipping: true,
    unitCost: item.unitCost === null ? null : moneyV2(item.unitCost, shop.currency),
    createdAt: iso(item.createdAt),
    updatedAt: iso(item.updatedAt),
    variant: () => {
      const variant = shop.variants.get(item.variantId);
      return variant ? variantView(ctx, variant) : null;
    },
    inventoryLevels: (args: ConnArgs) => {
      rejectUnknownArgs(args, PAGE_ARGS, 'InventoryItem.inventoryLevels');
      return listConnection(
        ctx,
        levels(),
        (l) => l.locationId,
        args,
        (l) => inventoryLevelView(ctx, l),
      );
    },
    inventoryLevel: (args: { locationId: string }) => {
      const locationId = idOf(args.locationId, 'Location');
      const level = locationId === null ? undefined : item.levels.get(locationId);
      return level ? inventoryLevelView(ctx, level) : null;
    },
  };
}

function checkNames(names: string[]): QuantityName[] {
  for (const name of names) {
    if (!(QUANTITY_NAMES as readonly string[]).includes(name)) {
      throw requestError(
        `The quantity name '${name}' is not valid. Valid names are: ${QUANTITY_NAMES.join(', ')}.`,
        'BAD_REQUEST',
      );
    }
  }
  return names as QuantityName[];
}

export function inventoryLevelView(ctx: ExecContext, level: InventoryLevelRecord): View {
  const shop = ctx.shop;
  const id = inventoryLevelGid(level.locationId, level.itemId);
  return {
    __typename: 'InventoryLevel',
    id,
    createdAt: iso(level.createdAt),
    updatedAt: iso(level.updatedAt),
    isActive: true,
    canDeactivate: true,
    quantities: (args: { names: string[] }) =>
      checkNames(args.names).map((name) => ({
        id: `gid://shopify/InventoryQuantity/${externalId(level.locationId)}?inventory_item_id=${externalId(level.itemId)}&name=${name}`,
        name,
        quantity: quantityOf(level, name),
        updatedAt: iso(level.updatedAt),
      })),
    item: () => {
      const item = shop.inventoryItems.get(level.itemId);
      return item ? inventoryItemView(ctx, item) : null;
    },
    location: () => {
      const location = shop.locations.get(level.locationId);
      return location ? locationView(ctx, location) : null;
    },
  };
}

function levelsAt(ctx: ExecContext, locationId: number): InventoryLevelRecord[] {
  const out: InventoryLevelRecord[] = [];
  for (const item of ctx.shop.inventoryItems.values()) {
    const level = item.levels.get(locationId);
    if (level) out.push(level);
  }
  return out;
}

export function locationView(ctx: ExecContext, location: LocationRecord): View {
  const a = location.address;
  return {
    __typename: 'Location',
    id: gid('Location', location.id),
    legacyResourceId: legacyId(location.id),
    name: location.name,
    isActive: location.isActive,
    activatable: !location.isActive,
    deactivatable: location.isActive,
    deletable: !location.isActive,
    fulfillsOnlineOrders: location.fulfillsOnlineOrders,
    hasActiveInventory: () => levelsAt(ctx, location.id).length > 0,
    shipsInventory: true,
    createdAt: iso(location.createdAt),
    updatedAt: iso(location.updatedAt),
    deactivatedAt: null,
    address: {
      ...a,
      latitude: null,
      longitude: null,
      formatted: [a.address1, a.address2, [a.zip, a.city].filter(Boolean).join(' '), a.country].filter(
        Boolean,
      ),
    },
    inventoryLevels: (args: ConnArgs) => {
      rejectUnknownArgs(args, PAGE_ARGS, 'Location.inventoryLevels');
      return listConnection(
        ctx,
        levelsAt(ctx, location.id),
        (l) => l.itemId,
        args,
        (l) => inventoryLevelView(ctx, l),
      );
    },
    inventoryLevel: (args: { inventoryItemId: string }) => {
      const itemId = idOf(args.inventoryItemId, 'InventoryItem');
      const level =
        itemId === null ? undefined : ctx.shop.inventoryItems.get(itemId)?.levels.get(location.id);
      return level ? inventoryLevelView(ctx, level) : null;
    },
  };
}
