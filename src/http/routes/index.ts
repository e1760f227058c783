import type { FastifyInstance } from 'fastify';

/**
 * Registers the back-office resource routes under /api (products, customers, orders, inventory,
 * locations). Each route lives in its own file beside this one.
 */
export type RouteModule = (app: FastifyInstance) => void;

export const apiRouteModules: RouteModule[] = [];
