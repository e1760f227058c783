import type { FastifyInstance } from 'fastify';
import type { CoreDeps } from '../../deps.ts';
import { customerRoutes } from './customers.ts';
import { inventoryRoutes } from './inventory.ts';
import { locationRoutes } from './locations.ts';
import { orderRoutes } from './orders.ts';
import { productRoutes } from './products.ts';
import { shopifyCallbackRoute } from './shopify-callback.ts';
import { shopifyConnectionRoutes } from './shopify-connection.ts';
import { shopifyHistoryRoutes } from './shopify-history.ts';
import { shopifyHistoryActionRoutes } from './shopify-history-actions.ts';
import { shopifySyncRoutes } from './shopify-sync.ts';
import { shopifySyncStateRoutes } from './shopify-sync-state.ts';
import { shopifyImportRoutes } from './shopify-import.ts';
import { shopifyReconcileRoutes } from './shopify-reconcile.ts';
import { shopifyWebhookRoute } from './shopify-webhooks.ts';

/**
 * Registers the back-office resource routes under /api (products, customers, orders, inventory,
 * locations). Each route lives in its own file beside this one. The app calls every module inside its
 * authenticated /api scope, so `request.auth` is always set in them.
 */
export type RouteModule = (app: FastifyInstance, deps: CoreDeps) => void;

export const apiRouteModules: RouteModule[] = [
  productRoutes,
  customerRoutes,
  orderRoutes,
  locationRoutes,
  inventoryRoutes,
  shopifyConnectionRoutes,
  shopifyImportRoutes,
  shopifySyncRoutes,
  shopifyHistoryRoutes,
  shopifyHistoryActionRoutes,
  shopifySyncStateRoutes,
  shopifyReconcileRoutes,
];

/**
 * Browser routes outside /api that need the logged-in user (session cookie; GET only, so no CSRF
 * token): the Shopify OAuth callback.
 */
export const browserRouteModules: RouteModule[] = [shopifyCallbackRoute];

/** Public routes outside /api that authenticate themselves (Shopify's signed webhooks). */
export const publicRouteModules: RouteModule[] = [shopifyWebhookRoute];
