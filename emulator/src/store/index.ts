/**
 * Public API of the emulated store. Other parts of the emulator import from here only.
 *
 * - `createStore(clock)` holds many shops; `createShop`, `getShop`, `findShop`.
 * - `subscribe(store, listener)` receives a `ChangeEvent` after every change
 *   (kind × action: product create|update|delete, variant create|update|delete,
 *   inventory_item create|update|delete, inventory_level connect|update|disconnect,
 *   customer create|update|delete, order create|update|cancel|refund|fulfill|delete,
 *   webhook_subscription create|update|delete, app create|update|delete).
 *   Map to webhook topics, e.g. order cancel → orders/cancelled (+ orders/updated),
 *   variant changes → products/update (a product update event is also emitted).
 * - Merchant actions (used by the GraphQL mutations and the control API) throw
 *   `StoreError` with a `code` on bad input.
 * - `generateShop` builds a seeded, reproducible shop.
 */
export type * from './types.ts';
export { QUANTITY_NAMES } from './types.ts';
export { isoSeconds, manualClock, nowSeconds, systemClock, type ManualClock } from './clock.ts';
export {
  externalId,
  gid,
  idOf,
  inventoryLevelGid,
  isWellFormedGid,
  nextId,
  parseGid,
  restId,
  setIdOffset,
  WIDE_ID_OFFSET,
  type ParsedGid,
} from './ids.ts';
export {
  addLocation,
  createShop,
  createStore,
  emitChange,
  findShop,
  getShop,
  normalizeShopDomain,
  StoreError,
  subscribe,
  type CreateShopInput,
  type Store,
} from './store.ts';
export type {
  OptionInput,
  ProductInput,
  ProductPatch,
  ProductSetInput,
  StockInput,
  VariantInput,
} from './product-inputs.ts';
export {
  createProduct,
  createVariants,
  deleteProduct,
  deleteVariants,
  getProduct,
  LAST_VARIANT,
  normalizeTags,
  setProduct,
  updateProduct,
  updateVariants,
} from './products.ts';
export { getVariant } from './variants.ts';
export {
  adjustQuantity,
  connectLevel,
  disconnectLevel,
  getInventoryItem,
  getLevel,
  onHand,
  quantityOf,
  setQuantity,
  updateInventoryItem,
} from './inventory.ts';
export {
  createCustomer,
  deleteCustomer,
  getCustomer,
  orderCountOf,
  updateCustomer,
  type AddressInput,
  type CustomerInput,
} from './customers.ts';
export {
  cancelOrder,
  deleteOrder,
  fulfillOrder,
  getOrder,
  placeOrder,
  refundOrder,
  updateOrder,
  type OrderLineInput,
  type OrderPatch,
  type PlaceOrderInput,
} from './orders.ts';
export { installApp, uninstallApp } from './apps.ts';
export {
  appClientId,
  appNamespace,
  checkMetafieldWrites,
  countUnder,
  createMetafieldDefinition,
  effectiveType,
  findDefinition,
  hasMetafieldsUnder,
  metafieldsOf,
  METAFIELD_TYPES,
  ownerOfUniqueValue,
  UNIQUE_ELIGIBLE_TYPES,
  writeMetafields,
  type DefinitionInput,
  type MetafieldProblem,
  type MetafieldWrite,
} from './metafields.ts';
export {
  createWebhookSubscription,
  deleteWebhookSubscription,
  subscriptionsForTopic,
  updateWebhookSubscription,
  type WebhookSubscriptionInput,
  type WebhookSubscriptionPatch,
} from './webhook-subscriptions.ts';
export { generateShop, type GenerateOptions } from './generate.ts';
export { createRng, type Rng } from './prng.ts';
