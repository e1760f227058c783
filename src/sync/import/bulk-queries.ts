import type { ImportResource } from '../../db/shopify-imports.ts';

/** Resources read through a bulk operation (locations are few and read page by page). */
export type BulkResource = Exclude<ImportResource, 'locations'>;
export const BULK_RESOURCES: readonly BulkResource[] = ['products', 'customers', 'orders', 'inventory'];

const money = 'shopMoney { amount currencyCode }';

/** The fields read of each record: shared by the bulk queries and the paged ones (page-queries.ts). */
export const FIELDS = {
  product: 'id title handle descriptionHtml vendor productType status tags createdAt updatedAt',
  variant: 'id sku barcode price compareAtPrice position selectedOptions { name value } inventoryItem { id }',
  customer: `id firstName lastName defaultEmailAddress { emailAddress } defaultPhoneNumber { phoneNumber } note tags createdAt updatedAt
    addresses { firstName lastName company address1 address2 city province zip country countryCodeV2 phone }`,
  order: `id name email phone customer { id } displayFinancialStatus displayFulfillmentStatus currencyCode
    subtotalPriceSet { ${money} } totalTaxSet { ${money} } totalPriceSet { ${money} }
    note tags processedAt cancelledAt closedAt createdAt updatedAt`,
  lineItem: `id sku title quantity originalUnitPriceSet { ${money} } variant { id }`,
  level: 'id updatedAt quantities(names: ["available", "on_hand"]) { name quantity } item { id }',
} as const;

/**
 * One bulk query per resource. Children (variants, line items, levels) come as their own JSONL
 * lines with `__parentId`. Inventory levels are read per location: the location line is the parent.
 */
export const BULK_QUERIES: Readonly<Record<BulkResource, string>> = {
  products: `{ products { edges { node {
    ${FIELDS.product}
    variants { edges { node { ${FIELDS.variant} } } }
  } } } }`,
  customers: `{ customers { edges { node {
    ${FIELDS.customer}
  } } } }`,
  orders: `{ orders { edges { node {
    ${FIELDS.order}
    lineItems { edges { node { ${FIELDS.lineItem} } } }
  } } } }`,
  inventory: `{ locations { edges { node {
    id
    inventoryLevels { edges { node { ${FIELDS.level} } } }
  } } } }`,
};

export const RUN_BULK = `mutation RunBulk($query: String!) {
  bulkOperationRunQuery(query: $query, groupObjects: true) {
    bulkOperation { id status }
    userErrors { field message code }
  }
}`;

export const POLL_BULK = `query PollBulk($id: ID!) {
  bulkOperation(id: $id) { id status errorCode objectCount rootObjectCount url }
}`;

export const LOCATIONS_PAGE = `query Locations($after: String) {
  locations(first: 50, after: $after) {
    pageInfo { hasNextPage endCursor }
    nodes { id name isActive createdAt updatedAt address { address1 address2 city province zip country countryCode phone } }
  }
}`;
