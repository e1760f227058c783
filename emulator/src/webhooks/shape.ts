import type { JsonSchema } from './schemas.ts';

/**
 * Fits a REST-shaped payload to a topic's JSON schema for one API version:
 * keeps the properties that version has, fills required ones we do not model
 * with neutral values (null where allowed, else "", 0, false, [], {…}), and
 * coerces values whose type the schema does not allow. An email the record lacks is "" (the schemas
 * call `email` a required non-null string, but Shopify invents no address: an order without one comes
 * as `"email": ""` — a real signed orders webhook body in tsukiy0-org/shopify,
 * packages/shopify-app-express/src/utils/RequestVerifier.test.ts).
 */
export interface ShapeDefaults {
  /** ISO time for non-nullable date-time fields. */
  time: string;
  /** For non-nullable uri fields. */
  uri: string;
  hostname: string;
}

type SchemaObject = { [key: string]: unknown };

export function shapeToSchema(schema: JsonSchema, value: unknown, d: ShapeDefaults): unknown {
  if (schema === false) return undefined;
  if (schema === true) return value === undefined ? null : value;
  const anyOf = schema['anyOf'];
  if (Array.isArray(anyOf)) {
    const match = (anyOf as JsonSchema[]).find((alt) => value !== undefined && typeMatches(alt, value));
    return shapeToSchema(match ?? (anyOf[0] as JsonSchema), value, d);
  }
  if (value === undefined || value === null || !typeMatches(schema, value)) return coerce(schema, value, d);
  if (Array.isArray(value)) return shapeArray(schema, value, d);
  if (isPlainObject(value)) return shapeObject(schema, value, d);
  if (typeof value === 'string' && !formatMatches(schema['format'], value)) return defaultFor(schema, d);
  return value;
}

function shapeArray(schema: SchemaObject, value: unknown[], d: ShapeDefaults): unknown[] {
  const items = schema['items'];
  if (items === false) return [];
  if (items === undefined || items === true) return value;
  return value.map((v) => shapeToSchema(items as JsonSchema, v, d));
}

function shapeObject(
  schema: SchemaObject,
  value: Record<string, unknown>,
  d: ShapeDefaults,
): Record<string, unknown> {
  const props = schema['properties'] as Record<string, JsonSchema> | undefined;
  if (!props) return value;
  const required = new Set((schema['required'] as string[] | undefined) ?? []);
  const out: Record<string, unknown> = {};
  for (const [key, propSchema] of Object.entries(props)) {
    if (!(key in value) && !required.has(key)) continue;
    const shaped = shapeToSchema(propSchema, value[key], d);
    if (shaped !== undefined) out[key] = shaped;
  }
  return out;
}

function coerce(schema: SchemaObject, value: unknown, d: ShapeDefaults): unknown {
  const types = typesOf(schema);
  if ((typeof value === 'number' || typeof value === 'bigint') && types.includes('string'))
    return String(value);
  if (typeof value === 'string' && value.trim() !== '' && !Number.isNaN(Number(value))) {
    if (types.includes('number')) return Number(value);
    if (types.includes('integer') && Number.isInteger(Number(value))) return Number(value);
  }
  return defaultFor(schema, d);
}

export function defaultFor(schema: JsonSchema, d: ShapeDefaults): unknown {
  if (schema === false) return undefined;
  if (schema === true) return null;
  if (Array.isArray(schema['anyOf'])) return defaultFor((schema['anyOf'] as JsonSchema[])[0] ?? true, d);
  const types = typesOf(schema);
  if (types.length === 0 || types.includes('null')) return null;
  if (types.includes('object')) return shapeObject(schema, {}, d);
  if (types.includes('array')) return [];
  if (types.includes('string')) return defaultString(schema['format'], d);
  if (types.includes('integer') || types.includes('number')) return 0;
  if (types.includes('boolean')) return false;
  return null;
}

function defaultString(format: unknown, d: ShapeDefaults): string {
  switch (format) {
    case 'date-time':
      return d.time;
    case 'uri':
      return d.uri;
    case 'hostname':
      return d.hostname;
    case 'uuid':
      return '00000000-0000-4000-8000-000000000000';
    case 'time':
      return '00:00:00';
    default:
      return '';
  }
}

function typesOf(schema: SchemaObject): string[] {
  const t = schema['type'];
  if (typeof t === 'string') return [t];
  return Array.isArray(t) ? (t as string[]) : [];
}

function typeMatches(schema: JsonSchema, value: unknown): boolean {
  if (typeof schema === 'boolean') return schema;
  const types = typesOf(schema);
  if (types.length === 0)
    return (
      !Array.isArray(schema['anyOf']) || (schema['anyOf'] as JsonSchema[]).some((a) => typeMatches(a, value))
    );
  return types.some((t) => {
    switch (t) {
      case 'null':
        return value === null;
      case 'string':
        return typeof value === 'string';
      case 'integer':
        return typeof value === 'bigint' || (typeof value === 'number' && Number.isInteger(value));
      case 'number':
        return typeof value === 'number' || typeof value === 'bigint';
      case 'boolean':
        return typeof value === 'boolean';
      case 'array':
        return Array.isArray(value);
      case 'object':
        return isPlainObject(value);
      default:
        return false;
    }
  });
}

const FORMAT_CHECKS: Record<string, RegExp> = {
  'date-time': /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/,
  email: /^[^\s@]+@[^\s@]+\.[^\s@]+$/,
  uri: /^[a-zA-Z][a-zA-Z0-9+.-]*:[^\s]*$/,
  hostname: /^[a-zA-Z0-9]([a-zA-Z0-9-]*[a-zA-Z0-9])?(\.[a-zA-Z0-9]([a-zA-Z0-9-]*[a-zA-Z0-9])?)*$/,
  uuid: /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i,
  time: /^\d{2}:\d{2}:\d{2}/,
};

function formatMatches(format: unknown, value: string): boolean {
  if (typeof format !== 'string') return true;
  const check = FORMAT_CHECKS[format];
  return check ? check.test(value) : true;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
