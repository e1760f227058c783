import type { FastifyInstance } from 'fastify';
import type { $ZodType } from 'zod/v4/core';

/**
 * Unknown body fields are rejected, never silently dropped: every object in a route's body schema must
 * be strict (`z.strictObject({...})`, or `.strict()`). A plain `z.object` would strip unknown keys, so
 * a typo like `{"titel": "x"}` would succeed and write nothing. This check runs when each route is
 * registered and fails start-up naming the route and the path of the offending object.
 */
export function looseObjectPaths(schema: $ZodType, path = '$'): string[] {
  const def = schema._zod.def as unknown as Record<string, unknown> & { type: string };
  const child = (key: string): $ZodType | undefined => def[key] as $ZodType | undefined;
  switch (def.type) {
    case 'object': {
      const catchall = child('catchall');
      const here = catchall?._zod.def.type === 'never' ? [] : [path];
      const shape = def['shape'] as Record<string, $ZodType>;
      return [...here, ...Object.entries(shape).flatMap(([k, v]) => looseObjectPaths(v, `${path}.${k}`))];
    }
    case 'array':
      return looseObjectPaths(child('element') as $ZodType, `${path}[]`);
    case 'optional':
    case 'nullable':
    case 'default':
    case 'prefault':
    case 'readonly':
    case 'nonoptional':
    case 'catch':
      return looseObjectPaths(child('innerType') as $ZodType, path);
    case 'pipe':
      return looseObjectPaths(child('in') as $ZodType, path);
    case 'union':
      return (def['options'] as $ZodType[]).flatMap((o) => looseObjectPaths(o, path));
    case 'intersection':
      return [
        ...looseObjectPaths(child('left') as $ZodType, path),
        ...looseObjectPaths(child('right') as $ZodType, path),
      ];
    case 'record':
      return looseObjectPaths(child('valueType') as $ZodType, `${path}.*`);
    case 'tuple':
      return (def['items'] as $ZodType[]).flatMap((o, i) => looseObjectPaths(o, `${path}[${i}]`));
    default:
      return [];
  }
}

function isZod(schema: unknown): schema is $ZodType {
  return typeof schema === 'object' && schema !== null && '_zod' in schema;
}

export function enforceStrictBodies(app: FastifyInstance): void {
  app.addHook('onRoute', (route) => {
    const body = route.schema?.body;
    if (!isZod(body)) return;
    const loose = looseObjectPaths(body);
    if (loose.length > 0) {
      const where = `${String(route.method)} ${route.url}`;
      throw new Error(
        `${where}: body objects must be strict (z.strictObject) so unknown fields are rejected: ${loose.join(', ')}`,
      );
    }
  });
}
