import { gid, type DeletionEventRecord, type WebhookSubscriptionRecord } from '../../store/index.ts';
import type { ExecContext } from '../context.ts';
import { iso, legacyId, type View } from './common.ts';

const PLAN_NAMES = {
  standard: 'Basic',
  advanced: 'Advanced',
  plus: 'Plus',
  enterprise: 'Commerce Components',
} as const;

export function shopView(ctx: ExecContext): View {
  const shop = ctx.shop;
  const planName = PLAN_NAMES[shop.plan];
  return {
    __typename: 'Shop',
    id: gid('Shop', shop.idBase),
    name: shop.name,
    email: shop.email,
    contactEmail: shop.email,
    myshopifyDomain: shop.domain,
    url: `https://${shop.domain}`,
    currencyCode: shop.currency,
    ianaTimezone: shop.ianaTimezone,
    timezoneAbbreviation: 'UTC',
    weightUnit: 'KILOGRAMS',
    createdAt: iso(shop.createdAt),
    updatedAt: iso(shop.createdAt),
    plan: {
      displayName: planName,
      publicDisplayName: planName,
      partnerDevelopment: false,
      shopifyPlus: shop.plan === 'plus' || shop.plan === 'enterprise',
    },
  };
}

export function webhookSubscriptionView(_ctx: ExecContext, sub: WebhookSubscriptionRecord): View {
  const isHttp = /^https?:\/\//.test(sub.uri);
  return {
    __typename: 'WebhookSubscription',
    id: gid('WebhookSubscription', sub.id),
    legacyResourceId: legacyId(sub.id),
    topic: sub.topic,
    uri: sub.uri,
    callbackUrl: sub.uri,
    endpoint: isHttp
      ? { __typename: 'WebhookHttpEndpoint', callbackUrl: sub.uri }
      : { __typename: 'WebhookPubSubEndpoint' },
    format: sub.format,
    includeFields: sub.includeFields,
    metafieldNamespaces: sub.metafieldNamespaces,
    metafields: [],
    filter: sub.filter,
    name: sub.name,
    createdAt: iso(sub.createdAt),
    updatedAt: iso(sub.updatedAt),
    apiVersion: { handle: sub.apiVersion, displayName: sub.apiVersion, supported: true },
  };
}

export function deletionEventView(event: DeletionEventRecord): View {
  return {
    subjectId: gid(event.subjectType === 'PRODUCT' ? 'Product' : 'Collection', event.subjectId),
    subjectType: event.subjectType,
    occurredAt: iso(event.occurredAt),
  };
}
