import type { RootResolver } from '../context.ts';
import { customerSet } from './customer-set.ts';
import { customerCreate, customerDelete, customerUpdate } from './customers.ts';
import { inventoryActivate, inventoryDeactivate, inventoryItemUpdate } from './inventory-items.ts';
import { metafieldDefinitionCreate, metafieldsSet } from './metafields.ts';
import { inventoryAdjustQuantities, inventorySetQuantities } from './inventory.ts';
import { orderCancel, orderUpdate } from './orders.ts';
import { productSet } from './product-set.ts';
import { productCreate, productDelete, productUpdate } from './products.ts';
import { tagsAdd, tagsRemove } from './tags.ts';
import {
  productVariantsBulkCreate,
  productVariantsBulkDelete,
  productVariantsBulkUpdate,
} from './variants.ts';
import {
  webhookSubscriptionCreate,
  webhookSubscriptionDelete,
  webhookSubscriptionUpdate,
} from './webhooks.ts';

/** Built-in Mutation root fields. Missing names answer NOT_IMPLEMENTED_IN_EMULATOR. */
export const MUTATION_RESOLVERS: Record<string, RootResolver> = {
  productCreate,
  productUpdate,
  productSet,
  productDelete,
  productVariantsBulkCreate,
  productVariantsBulkUpdate,
  productVariantsBulkDelete,
  inventorySetQuantities,
  inventoryAdjustQuantities,
  customerCreate,
  customerUpdate,
  customerDelete,
  customerSet,
  inventoryItemUpdate,
  inventoryActivate,
  inventoryDeactivate,
  tagsAdd,
  tagsRemove,
  orderUpdate,
  orderCancel,
  metafieldDefinitionCreate,
  metafieldsSet,
  webhookSubscriptionCreate,
  webhookSubscriptionUpdate,
  webhookSubscriptionDelete,
};
