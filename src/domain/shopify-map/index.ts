export * from './shapes.ts';
export * from './snapshot.ts';
export { mapProduct, productToShopify, type ProductFromShopify, type VariantFromShopify } from './product.ts';
export { mapCustomer, mapAddress, customerToShopify, type CustomerFromShopify } from './customer.ts';
export {
  mapOrder,
  orderToShopify,
  orderNumber,
  financialStatus,
  fulfillmentStatus,
  type OrderFromShopify,
  type LineItemFromShopify,
} from './order.ts';
export {
  mapLocation,
  locationToShopify,
  mapInventoryLevel,
  inventoryLevelToShopify,
  type LocationFromShopify,
  type InventoryLevelFromShopify,
} from './location.ts';
export * from './webhook.ts';
