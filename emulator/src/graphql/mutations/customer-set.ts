import {
  checkMetafieldWrites,
  createCustomer,
  updateCustomer,
  writeMetafields,
  type CustomerRecord,
} from '../../store/index.ts';
import type { ExecContext } from '../context.ts';
import { customerView } from '../views/order.ts';
import { contactErrors, customerInput } from './customers.ts';
import { customIdOf, ownerOfCustomId, type CustomId } from './metafields.ts';
import { mutation, numericId, userError, type Input, type UserErrorData } from './common.ts';

function result(ctx: ExecContext, customer: CustomerRecord | null, userErrors: UserErrorData[]) {
  return { customer: customer ? customerView(ctx, customer) : null, userErrors };
}

function findBy(ctx: ExecContext, match: (c: CustomerRecord) => boolean): CustomerRecord | undefined {
  for (const c of ctx.shop.customers.values()) if (match(c)) return c;
  return undefined;
}

/** Target of customerSet: by identifier (id, email, phone, custom id), or none (create). */
function target(
  ctx: ExecContext,
  identifier: Input | null,
  customId: CustomId | null,
): CustomerRecord | null | UserErrorData {
  if (!identifier) return null;
  if (customId) {
    const owner = ownerOfCustomId(ctx, 'CUSTOMER', customId);
    return owner === undefined ? null : (ctx.shop.customers.get(owner) ?? null);
  }
  if (identifier['id'] != null) {
    const id = numericId(identifier['id'], 'Customer');
    const found = id === null ? undefined : ctx.shop.customers.get(id);
    return found ?? userError(['identifier', 'id'], 'Customer does not exist', 'NOT_FOUND');
  }
  const email = identifier['email'];
  if (typeof email === 'string')
    return findBy(ctx, (c) => c.email?.toLowerCase() === email.toLowerCase()) ?? null;
  const phone = identifier['phone'];
  if (typeof phone === 'string') return findBy(ctx, (c) => c.phone === phone) ?? null;
  return null;
}

/** customerSet: upsert by identifier; `tags` and `addresses` given replace the lists. */
export const customerSet = mutation('customerSet', 'write_customers', (args, ctx) => {
  const raw = args['input'] as Input;
  if (raw['id'] != null)
    return result(ctx, null, [
      userError(['input', 'id'], 'The id field is not allowed in input; use identifier', 'ID_NOT_ALLOWED'),
    ]);
  const identifier = (args['identifier'] as Input | null | undefined) ?? null;
  const customId = identifier?.['customId'] ? customIdOf(ctx, 'CUSTOMER', identifier['customId']) : null;
  const found = target(ctx, identifier, customId);
  if (found !== null && !('id' in found)) return result(ctx, null, [found]);
  const input = customerInput(raw, 'CustomerSetInput');
  const errors = contactErrors(ctx, input, found?.id ?? null).map((e) => ({
    ...e,
    field: ['input', ...(e.field ?? [])],
    code: 'TAKEN',
  }));
  if (errors.length > 0)
    return result(
      ctx,
      null,
      errors.map((e) => (e.message.endsWith('invalid') ? { ...e, code: 'INVALID' } : e)),
    );
  if (found) return result(ctx, updateCustomer(ctx.store, ctx.shop, found.id, input, ctx.appKey), []);
  if (!input.email && !input.phone && !input.firstName && !input.lastName) {
    return result(ctx, null, [
      userError(
        ['input'],
        'A name, phone number, or email address must be present',
        'MISSING_FIELD_REQUIRED',
      ),
    ]);
  }
  // A creation by custom id writes the custom id's metafield (captured on Shopify; CustomerSetInput has
  // no metafields field). Checked before anything changes.
  const writes = customId
    ? [{ namespace: customId.namespace, key: customId.key, value: customId.value }]
    : [];
  const problem = checkMetafieldWrites(
    ctx.shop,
    'CUSTOMER',
    writes.map((w) => ({ ...w, ownerId: null })),
  );
  if (problem)
    return result(ctx, null, [userError(['identifier', 'customId', 'value'], problem.message, 'INVALID')]);
  const customer = createCustomer(ctx.store, ctx.shop, input, ctx.appKey);
  if (writes.length > 0) writeMetafields(ctx.store, ctx.shop, 'CUSTOMER', customer.id, writes, false);
  return result(ctx, customer, []);
});
