import {
  createWebhookSubscription,
  deleteWebhookSubscription,
  gid,
  updateWebhookSubscription,
  type WebhookSubscriptionPatch,
  type WebhookSubscriptionRecord,
} from '../../store/index.ts';
import { hasScope, type ExecContext } from '../context.ts';
import { accessDenied } from '../errors.ts';
import { webhookSubscriptionView } from '../views/shop.ts';
import {
  mutation,
  numericId,
  rejectUnsupported,
  userError,
  type Input,
  type UserErrorData,
} from './common.ts';

const INPUT_FIELDS = [
  'uri',
  'callbackUrl',
  'format',
  'includeFields',
  'metafieldNamespaces',
  'filter',
  'name',
] as const;

/** Read scope needed to subscribe to a topic's resource. */
const TOPIC_SCOPES: [string, string][] = [
  ['PRODUCTS_', 'read_products'],
  ['INVENTORY_', 'read_inventory'],
  ['ORDERS_', 'read_orders'],
  ['CUSTOMERS_', 'read_customers'],
  ['LOCATIONS_', 'read_locations'],
];

/**
 * HTTPS endpoints, Pub/Sub and EventBridge as on Shopify; plain http only to
 * localhost / 127.0.0.1 so a local connector can receive deliveries.
 */
export function validUri(uri: string): boolean {
  if (/^pubsub:\/\/[\w-]+:[\w.-]+$/.test(uri) || /^arn:aws:events:/.test(uri)) return true;
  try {
    const url = new URL(uri);
    if (url.protocol === 'https:') return true;
    return url.protocol === 'http:' && (url.hostname === 'localhost' || url.hostname === '127.0.0.1');
  } catch {
    return false;
  }
}

function inputErrors(
  ctx: ExecContext,
  input: Input,
  topic: string | null,
  ownId: number | null,
): UserErrorData[] {
  const uri = (input['uri'] ?? input['callbackUrl']) as string | undefined;
  const field = ['webhookSubscription', input['uri'] !== undefined ? 'uri' : 'callbackUrl'];
  if (uri !== undefined && !validUri(uri)) return [userError(field, 'Address is invalid')];
  const name = input['name'];
  if (typeof name === 'string' && !/^[A-Za-z0-9_-]{1,50}$/.test(name)) {
    return [userError(['webhookSubscription', 'name'], 'Name is invalid')];
  }
  const taken = [...ctx.shop.webhookSubscriptions.values()].some(
    (s) =>
      s.appKey === ctx.appKey &&
      s.id !== ownId &&
      s.topic === (topic ?? ctx.shop.webhookSubscriptions.get(ownId ?? -1)?.topic) &&
      s.uri === uri,
  );
  return taken ? [userError(field, 'Address for this topic has already been taken')] : [];
}

function patchOf(input: Input): WebhookSubscriptionPatch {
  const patch: WebhookSubscriptionPatch = {};
  const uri = input['uri'] ?? input['callbackUrl'];
  if (typeof uri === 'string') patch.uri = uri;
  if (input['format'] != null) patch.format = input['format'] as 'JSON' | 'XML';
  if (Array.isArray(input['includeFields'])) patch.includeFields = input['includeFields'] as string[];
  if (Array.isArray(input['metafieldNamespaces']))
    patch.metafieldNamespaces = input['metafieldNamespaces'] as string[];
  if (input['filter'] !== undefined) patch.filter = (input['filter'] as string | null) ?? null;
  if (input['name'] !== undefined) patch.name = (input['name'] as string | null) ?? null;
  return patch;
}

const result = (ctx: ExecContext, sub: WebhookSubscriptionRecord | null, userErrors: UserErrorData[]) => ({
  webhookSubscription: sub ? webhookSubscriptionView(ctx, sub) : null,
  userErrors,
});

export const webhookSubscriptionCreate = mutation('webhookSubscriptionCreate', null, (args, ctx) => {
  const topic = String(args['topic']);
  const scope = TOPIC_SCOPES.find(([prefix]) => topic.startsWith(prefix))?.[1];
  if (scope && !hasScope(ctx, scope)) throw accessDenied('webhookSubscriptionCreate', scope);
  const input = args['webhookSubscription'] as Input;
  rejectUnsupported(input, INPUT_FIELDS, 'WebhookSubscriptionInput');
  if (input['uri'] == null && input['callbackUrl'] == null)
    return result(ctx, null, [userError(['webhookSubscription', 'uri'], "Address can't be blank")]);
  const errors = inputErrors(ctx, input, topic, null);
  if (errors.length > 0) return result(ctx, null, errors);
  const patch = patchOf(input);
  const sub = createWebhookSubscription(ctx.store, ctx.shop, {
    appKey: ctx.appKey,
    topic,
    uri: patch.uri ?? '',
    format: patch.format ?? 'JSON',
    includeFields: patch.includeFields ?? [],
    metafieldNamespaces: patch.metafieldNamespaces ?? [],
    filter: patch.filter ?? null,
    name: patch.name ?? null,
    apiVersion: ctx.version,
  });
  return result(ctx, sub, []);
});

function ownSubscription(ctx: ExecContext, raw: unknown): WebhookSubscriptionRecord | undefined {
  const id = numericId(raw, 'WebhookSubscription');
  const sub = id === null ? undefined : ctx.shop.webhookSubscriptions.get(id);
  return sub && sub.appKey === ctx.appKey ? sub : undefined;
}

export const webhookSubscriptionUpdate = mutation('webhookSubscriptionUpdate', null, (args, ctx) => {
  const sub = ownSubscription(ctx, args['id']);
  if (!sub) return result(ctx, null, [userError(['id'], 'Webhook subscription does not exist')]);
  const input = args['webhookSubscription'] as Input;
  rejectUnsupported(input, INPUT_FIELDS, 'WebhookSubscriptionInput');
  const errors = inputErrors(ctx, input, sub.topic, sub.id);
  if (errors.length > 0) return result(ctx, null, errors);
  return result(ctx, updateWebhookSubscription(ctx.store, ctx.shop, sub.id, patchOf(input)), []);
});

export const webhookSubscriptionDelete = mutation('webhookSubscriptionDelete', null, (args, ctx) => {
  const sub = ownSubscription(ctx, args['id']);
  if (!sub)
    return {
      deletedWebhookSubscriptionId: null,
      userErrors: [userError(['id'], 'Webhook subscription does not exist')],
    };
  deleteWebhookSubscription(ctx.store, ctx.shop, sub.id);
  return { deletedWebhookSubscriptionId: gid('WebhookSubscription', sub.id), userErrors: [] };
});
