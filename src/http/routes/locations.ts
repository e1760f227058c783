import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { createLocation, findLocation, searchLocations, updateLocation } from '../../core/locations.ts';
import type { CoreDeps } from '../../deps.ts';
import { idParams } from '../schemas/common.ts';
import {
  locationCreateBody,
  locationInputFromBody,
  locationJson,
  locationListQuery,
  locationToJson,
  locationUpdateBody,
} from '../schemas/location.ts';
import { writeContext } from '../write-context.ts';

const tags = ['locations'];

/** /api/locations: every location of the tenant (a short list, not paginated), create, read, update. */
export function locationRoutes(app: FastifyInstance, deps: CoreDeps): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.get(
    '/locations',
    {
      schema: {
        tags,
        querystring: locationListQuery,
        response: { 200: z.object({ items: z.array(locationJson) }) },
      },
    },
    async (req) => {
      const items = await searchLocations(deps.db, req.auth.tenantId, {
        activeOnly: req.query.active_only === 'true',
      });
      return { items: items.map(locationToJson) };
    },
  );
  r.post(
    '/locations',
    { schema: { tags, body: locationCreateBody, response: { 201: locationJson } } },
    async (req, reply) => {
      const l = await createLocation(deps.db, writeContext(req, deps), locationInputFromBody(req.body));
      return reply.code(201).send(locationToJson(l));
    },
  );
  r.get(
    '/locations/:id',
    { schema: { tags, params: idParams, response: { 200: locationJson } } },
    async (req) => locationToJson(await findLocation(deps.db, req.auth.tenantId, req.params.id)),
  );
  r.patch(
    '/locations/:id',
    { schema: { tags, params: idParams, body: locationUpdateBody, response: { 200: locationJson } } },
    async (req) =>
      locationToJson(
        await updateLocation(
          deps.db,
          writeContext(req, deps),
          req.params.id,
          locationInputFromBody(req.body),
        ),
      ),
  );
}
