import { FIELDS, type BulkResource } from './bulk-queries.ts';

const pageInfo = 'pageInfo { hasNextPage endCursor }';

/**
 * One page of each resource, the same fields as the bulk queries. Sizes come in as variables
 * ($first, $childFirst: page-size.ts), so the query text never changes between pages. Records that
 * may need follow-up queries come with their own cursor (edges), so a page can be committed up to one.
 */
export const PAGE_QUERIES: Readonly<Record<BulkResource, string>> = {
  products: `query ImportProductsPage($first: Int!, $childFirst: Int!, $after: String) {
  products(first: $first, after: $after) {
    ${pageInfo}
    edges { cursor node { ${FIELDS.product} variants(first: $childFirst) { ${pageInfo} nodes { ${FIELDS.variant} } } } }
  }
}`,
  customers: `query ImportCustomersPage($first: Int!, $after: String) {
  customers(first: $first, after: $after) { ${pageInfo} nodes { ${FIELDS.customer} } }
}`,
  orders: `query ImportOrdersPage($first: Int!, $childFirst: Int!, $after: String) {
  orders(first: $first, after: $after) {
    ${pageInfo}
    edges { cursor node { ${FIELDS.order} lineItems(first: $childFirst) { ${pageInfo} nodes { ${FIELDS.lineItem} } } } }
  }
}`,
  // Levels are read one location at a time, as the bulk query does: the location is their parent.
  inventory: `query ImportLevelsPage($first: Int!, $outerAfter: String, $after: String) {
  locations(first: 1, after: $outerAfter) {
    ${pageInfo}
    nodes { id inventoryLevels(first: $first, after: $after) { ${pageInfo} nodes { ${FIELDS.level} } } }
  }
}`,
};

/** The rest of one product's variants, or one order's line items, past what its page held. */
export const FOLLOW_UP_QUERIES = {
  products: `query ImportProductVariants($id: ID!, $first: Int!, $after: String) {
  record: product(id: $id) { children: variants(first: $first, after: $after) { ${pageInfo} nodes { ${FIELDS.variant} } } }
}`,
  orders: `query ImportOrderLineItems($id: ID!, $first: Int!, $after: String) {
  record: order(id: $id) { children: lineItems(first: $first, after: $after) { ${pageInfo} nodes { ${FIELDS.lineItem} } } }
}`,
} as const;

/** The connection on a page's record that holds its children. */
export const CHILD_CONNECTION = { products: 'variants', orders: 'lineItems' } as const;

/** Counts that size the store (each Count costs 1 point); `limit: null` asks for exact numbers. */
export const STORE_COUNTS = `query ImportStoreCounts {
  productsCount(limit: null) { count precision }
  productVariantsCount(limit: null) { count precision }
  customersCount(limit: null) { count precision }
  ordersCount(limit: null) { count precision }
}`;

/** The cheapest question (1 point): its answer tells how full the cost bucket is. */
export const BUDGET_PROBE = `query ImportBudget { shop { id } }`;
