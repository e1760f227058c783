import type { ShopData } from '../../store/index.ts';
import { restTime } from './rest.ts';

const PLAN_NAMES: Record<ShopData['plan'], [string, string]> = {
  standard: ['basic', 'Basic'],
  advanced: ['advanced', 'Advanced'],
  plus: ['shopify_plus', 'Shopify Plus'],
  enterprise: ['enterprise', 'Commerce Components'],
};

/** Numeric shop id (the emulator derives it from the shop's id base). */
export function shopId(shop: ShopData): number {
  return Math.floor(shop.idBase / 10_000_000_000);
}

/** The Shop resource, as sent with app/uninstalled. */
export function shopPayload(shop: ShopData): Record<string, unknown> {
  const [planName, planDisplay] = PLAN_NAMES[shop.plan];
  const primary = [...shop.locations.keys()][0] ?? null;
  return {
    id: shopId(shop),
    name: shop.name,
    email: shop.email,
    customer_email: shop.email,
    shop_owner: shop.name,
    domain: shop.domain,
    myshopify_domain: shop.domain,
    created_at: restTime(shop.createdAt),
    updated_at: restTime(shop.createdAt),
    currency: shop.currency,
    enabled_presentment_currencies: [shop.currency],
    iana_timezone: shop.ianaTimezone,
    timezone: `(GMT+00:00) ${shop.ianaTimezone}`,
    plan_name: planName,
    plan_display_name: planDisplay,
    primary_locale: 'en',
    primary_location_id: primary,
    money_format: '${{amount}}',
    money_with_currency_format: `\${{amount}} ${shop.currency}`,
    money_in_emails_format: '${{amount}}',
    money_with_currency_in_emails_format: `\${{amount}} ${shop.currency}`,
    weight_unit: 'kg',
    taxes_included: false,
    tax_shipping: null,
    county_taxes: true,
    multi_location_enabled: shop.locations.size > 1,
    password_enabled: false,
    has_storefront: true,
    checkout_api_supported: true,
    setup_required: false,
    pre_launch_enabled: false,
    source: null,
  };
}

export function shopRedactPayload(shop: ShopData): Record<string, unknown> {
  return { shop_id: shopId(shop), shop_domain: shop.domain };
}

export interface PrivacyCustomer {
  id: number;
  email: string | null;
  phone: string | null;
}

export function dataRequestPayload(
  shop: ShopData,
  customer: PrivacyCustomer,
  orderIds: number[],
  requestId: number,
): Record<string, unknown> {
  return {
    shop_id: shopId(shop),
    shop_domain: shop.domain,
    orders_requested: orderIds,
    customer,
    data_request: { id: requestId },
  };
}

export function customersRedactPayload(
  shop: ShopData,
  customer: PrivacyCustomer,
  orderIds: number[],
): Record<string, unknown> {
  return { shop_id: shopId(shop), shop_domain: shop.domain, customer, orders_to_redact: orderIds };
}
