import type { DeletionEventRecord, WebhookSubscriptionRecord } from '../../store/index.ts';
import { nowSec, type RootResolver } from '../context.ts';
import { compileSearch } from '../search.ts';
import { connectionView, PAGE_ARGS, rejectUnknownArgs } from '../views/common.ts';
import { deletionEventView, webhookSubscriptionView } from '../views/shop.ts';
import { requireScope, type ListArgs } from './list.ts';

type Indexed = { event: DeletionEventRecord; index: number };

/** deletionEvents(subjectTypes, query: occurred_at filters, sortKey CREATED_AT|ID). */
export const deletionEventsResolver: RootResolver = (rawArgs, ctx) => {
  requireScope(ctx, 'deletionEvents', ['read_products']);
  const args = rawArgs as ListArgs & { subjectTypes?: string[] | null };
  rejectUnknownArgs(args, [...PAGE_ARGS, 'query', 'sortKey', 'subjectTypes'], 'QueryRoot.deletionEvents');
  const search = compileSearch<Indexed>(
    args.query,
    {
      fields: {
        occurred_at: { kind: 'date', get: (e) => e.event.occurredAt },
        created_at: { kind: 'date', get: (e) => e.event.occurredAt },
        subject_id: { kind: 'number', get: (e) => e.event.subjectId },
      },
      freeText: () => [],
    },
    nowSec(ctx),
  );
  const types = args.subjectTypes ?? null;
  let items = ctx.shop.deletionEvents
    .map((event, index) => ({ event, index: index + 1 }))
    .filter((e) => (types === null || types.includes(e.event.subjectType)) && search.matches(e));
  const byTime = args.sortKey === 'CREATED_AT';
  if (byTime) items.sort((a, b) => a.event.occurredAt - b.event.occurredAt || a.index - b.index);
  const reverse = args.reverse === true;
  if (reverse) items = items.reverse();
  const key = byTime ? (e: Indexed) => e.event.occurredAt : (e: Indexed) => e.index;
  return connectionView(ctx, { items, key, id: (e) => e.index, reverse }, args, (e) =>
    deletionEventView(e.event),
  );
};

/** webhookSubscriptions: only the calling app's subscriptions, as on Shopify. */
export const webhookSubscriptionsResolver: RootResolver = (rawArgs, ctx) => {
  const args = rawArgs as ListArgs & {
    topics?: string[] | null;
    format?: string | null;
    uri?: string | null;
    callbackUrl?: string | null;
  };
  rejectUnknownArgs(
    args,
    [...PAGE_ARGS, 'sortKey', 'topics', 'format', 'uri', 'callbackUrl'],
    'QueryRoot.webhookSubscriptions',
  );
  const uri = args.uri ?? args.callbackUrl ?? null;
  const keep = (s: WebhookSubscriptionRecord) =>
    s.appKey === ctx.appKey &&
    (!args.topics || args.topics.includes(s.topic)) &&
    (!args.format || args.format === s.format) &&
    (uri === null || s.uri === uri);
  const byTime = args.sortKey === 'CREATED_AT';
  let items = [...ctx.shop.webhookSubscriptions.values()]
    .filter(keep)
    .sort((a, b) => (byTime ? a.createdAt - b.createdAt : 0) || a.id - b.id);
  const reverse = args.reverse === true;
  if (reverse) items = items.reverse();
  const key = byTime ? (s: WebhookSubscriptionRecord) => s.createdAt : (s: WebhookSubscriptionRecord) => s.id;
  return connectionView(ctx, { items, key, id: (s) => s.id, reverse }, args, (s) =>
    webhookSubscriptionView(ctx, s),
  );
};
