import {
  FINANCIAL_STATUSES,
  FULFILLMENT_STATUSES,
  type FinancialStatus,
  type FulfillmentStatus,
  type LineItem,
  type Order,
  type ShippingAddress,
} from './entities.ts';
import { blankToNull, isUuid, unwritableFields, type FieldProblem } from './customer-input.ts';
import { addMoney, isMoney, normaliseMoney } from './money.ts';
import { shippingAddressOf, shippingAddressProblems, type ShippingAddressLines } from './shipping-address.ts';
import { normaliseEmail, normaliseTags } from './text.ts';

export interface LineItemInput {
  sku?: string | null | undefined;
  title: string;
  quantity: number;
  unitPrice: string;
  variantId?: string | null | undefined;
}

export interface OrderInput {
  number?: number | undefined;
  customerId?: string | null | undefined;
  email?: string | null | undefined;
  phone?: string | null | undefined;
  financialStatus?: FinancialStatus | undefined;
  fulfillmentStatus?: FulfillmentStatus | undefined;
  currency: string;
  /** When given it must equal Σ quantity × unitPrice. */
  subtotalPrice?: string | undefined;
  totalTax?: string | undefined;
  note?: string | undefined;
  tags?: string[] | undefined;
  shippingAddress?: ShippingAddressLines | null | undefined;
  processedAt?: Date | undefined;
  lineItems: LineItemInput[];
}

export type LineItemDraft = Omit<LineItem, 'id'>;

export interface OrderDraft {
  number: number | null;
  customerId: string | null;
  email: string | null;
  phone: string | null;
  financialStatus: FinancialStatus;
  fulfillmentStatus: FulfillmentStatus;
  currency: string;
  subtotalPrice: string;
  totalTax: string;
  totalPrice: string;
  note: string;
  tags: string[];
  shippingAddress: ShippingAddress | null;
  processedAt: Date | null;
  lineItems: LineItemDraft[];
}

export type OrderDecision = { ok: true; draft: OrderDraft } | { ok: false; problems: FieldProblem[] };

/** The fields an update may change; cancelledAt and closedAt move only through cancel and close. */
export interface OrderUpdateInput {
  email?: string | null | undefined;
  phone?: string | null | undefined;
  note?: string | undefined;
  tags?: string[] | undefined;
  customerId?: string | null | undefined;
  financialStatus?: FinancialStatus | undefined;
  fulfillmentStatus?: FulfillmentStatus | undefined;
  /** The whole address (lines left out are blank); null or no line removes it, which only an order without one allows. */
  shippingAddress?: ShippingAddressLines | null | undefined;
}

export const ORDER_WRITABLE: readonly string[] = [
  'email',
  'phone',
  'note',
  'tags',
  'customerId',
  'financialStatus',
  'fulfillmentStatus',
  'shippingAddress',
];

export type OrderUpdateDraft = Pick<
  Order,
  | 'email'
  | 'phone'
  | 'note'
  | 'tags'
  | 'customerId'
  | 'financialStatus'
  | 'fulfillmentStatus'
  | 'shippingAddress'
>;

export type OrderUpdateDecision =
  { ok: true; draft: OrderUpdateDraft } | { ok: false; problems: FieldProblem[] };

const CURRENCY = /^[A-Za-z]{3}$/;
const MAX_INT4 = 2_147_483_647;

/** unitPrice × quantity, exactly, by doubling with addMoney (log₂ quantity additions). Throws RangeError past 15 digits. */
export function lineTotal(unitPrice: string, quantity: number): string {
  let total = '0';
  let power = normaliseMoney(unitPrice);
  for (let q = quantity; q > 0; q = Math.floor(q / 2)) {
    if (q % 2 === 1) total = addMoney(total, power);
    if (q > 1) power = addMoney(power, power);
  }
  return normaliseMoney(total);
}

function lineProblems(items: readonly LineItemInput[]): FieldProblem[] {
  if (!Array.isArray(items) || items.length === 0)
    return [{ field: 'lineItems', message: 'an order needs at least one line item' }];
  return items.flatMap((li, i): FieldProblem[] => {
    const p: FieldProblem[] = [];
    if (typeof li.title !== 'string' || !li.title.trim())
      p.push({ field: `lineItems[${i}].title`, message: 'title must not be empty' });
    if (!Number.isInteger(li.quantity) || li.quantity < 1 || li.quantity > MAX_INT4) {
      p.push({ field: `lineItems[${i}].quantity`, message: 'quantity must be a whole number from 1' });
    }
    if (typeof li.unitPrice !== 'string' || !isMoney(li.unitPrice)) {
      p.push({ field: `lineItems[${i}].unitPrice`, message: 'unitPrice must be a non-negative decimal' });
    }
    if (li.variantId !== undefined && li.variantId !== null && !isUuid(li.variantId)) {
      p.push({ field: `lineItems[${i}].variantId`, message: 'not an id' });
    }
    return p;
  });
}

function customerIdProblems(customerId: unknown): FieldProblem[] {
  return customerId === undefined || customerId === null || isUuid(customerId)
    ? []
    : [{ field: 'customerId', message: 'not an id' }];
}

function statusProblems(input: { financialStatus?: unknown; fulfillmentStatus?: unknown }): FieldProblem[] {
  const p: FieldProblem[] = [];
  const fin = input.financialStatus;
  const ful = input.fulfillmentStatus;
  if (fin !== undefined && !FINANCIAL_STATUSES.includes(fin as FinancialStatus))
    p.push({ field: 'financialStatus', message: 'unknown financial status' });
  if (ful !== undefined && !FULFILLMENT_STATUSES.includes(ful as FulfillmentStatus))
    p.push({ field: 'fulfillmentStatus', message: 'unknown fulfillment status' });
  return p;
}

function headerProblems(input: OrderInput): FieldProblem[] {
  const p = [...statusProblems(input), ...customerIdProblems(input.customerId)];
  if (typeof input.currency !== 'string' || !CURRENCY.test(input.currency))
    p.push({ field: 'currency', message: 'currency must be an ISO 4217 code' });
  if (
    input.number !== undefined &&
    (!Number.isInteger(input.number) || input.number < 1 || input.number > MAX_INT4)
  ) {
    p.push({ field: 'number', message: 'number must be a whole number from 1' });
  }
  for (const field of ['subtotalPrice', 'totalTax'] as const) {
    const v = input[field];
    if (v !== undefined && (typeof v !== 'string' || !isMoney(v)))
      p.push({ field, message: `${field} must be a non-negative decimal` });
  }
  return p;
}

function totals(
  input: OrderInput,
  lines: readonly LineItemDraft[],
): { ok: true; subtotal: string; tax: string; total: string } | FieldProblem {
  try {
    const subtotal = addMoney('0', ...lines.map((l) => lineTotal(l.unitPrice, l.quantity)));
    if (input.subtotalPrice !== undefined && normaliseMoney(input.subtotalPrice) !== subtotal) {
      return { field: 'subtotalPrice', message: `subtotalPrice does not match the line items (${subtotal})` };
    }
    const tax = normaliseMoney(input.totalTax ?? '0');
    return { ok: true, subtotal, tax, total: addMoney(subtotal, tax) };
  } catch (err) {
    if (err instanceof RangeError) return { field: 'totalPrice', message: 'amounts are too large' };
    throw err;
  }
}

/** Validates and normalises a new order; computes subtotal and total exactly. */
export function decideOrder(input: OrderInput): OrderDecision {
  const shippingAddress = shippingAddressOf(input.shippingAddress);
  const problems = [
    ...headerProblems(input),
    ...lineProblems(input.lineItems),
    ...(shippingAddress ? shippingAddressProblems(shippingAddress) : []),
  ];
  if (problems.length > 0) return { ok: false, problems };
  const lineItems = input.lineItems.map((li, i): LineItemDraft => ({
    position: i + 1,
    sku: blankToNull(li.sku),
    title: li.title.trim(),
    quantity: li.quantity,
    unitPrice: normaliseMoney(li.unitPrice),
    variantId: li.variantId ?? null,
  }));
  const t = totals(input, lineItems);
  if (!('ok' in t)) return { ok: false, problems: [t] };
  const email = blankToNull(input.email);
  return {
    ok: true,
    draft: {
      number: input.number ?? null,
      customerId: input.customerId ?? null,
      email: email === null ? null : normaliseEmail(email),
      phone: blankToNull(input.phone),
      financialStatus: input.financialStatus ?? 'pending',
      fulfillmentStatus: input.fulfillmentStatus ?? 'unfulfilled',
      currency: input.currency.toUpperCase(),
      subtotalPrice: t.subtotal,
      totalTax: t.tax,
      totalPrice: t.total,
      note: input.note ?? '',
      tags: normaliseTags(input.tags ?? []),
      shippingAddress,
      processedAt: input.processedAt ?? null,
      lineItems,
    },
  };
}

/** Applies an update onto the current order; refuses fields outside the writable list. */
export function decideOrderUpdate(input: OrderUpdateInput, current: Order): OrderUpdateDecision {
  const problems = unwritableFields(input, ORDER_WRITABLE).map((field) => ({
    field,
    message: 'not a writable field',
  }));
  problems.push(...statusProblems(input), ...customerIdProblems(input.customerId));
  const shippingAddress =
    input.shippingAddress === undefined ? current.shippingAddress : shippingAddressOf(input.shippingAddress);
  problems.push(...shippingAddressChange(shippingAddress, current.shippingAddress));
  if (problems.length > 0) return { ok: false, problems };
  const email = input.email === undefined ? current.email : blankToNull(input.email);
  return {
    ok: true,
    draft: {
      email: email === null ? null : normaliseEmail(email),
      phone: input.phone === undefined ? current.phone : blankToNull(input.phone),
      note: input.note ?? current.note,
      tags: normaliseTags(input.tags ?? current.tags),
      customerId: input.customerId === undefined ? current.customerId : input.customerId,
      financialStatus: input.financialStatus ?? current.financialStatus,
      fulfillmentStatus: input.fulfillmentStatus ?? current.fulfillmentStatus,
      shippingAddress,
    },
  };
}

/**
 * A new address must be one Shopify takes. An address is changed, not removed: orderUpdate overwrites an
 * order's shipping address, and an order keeps one once it has one (on Shopify as here).
 */
function shippingAddressChange(
  next: ShippingAddress | null,
  current: ShippingAddress | null,
): FieldProblem[] {
  if (next === null) {
    return current === null
      ? []
      : [{ field: 'shippingAddress', message: 'a shipping address can be changed but not removed' }];
  }
  return next === current ? [] : shippingAddressProblems(next);
}
