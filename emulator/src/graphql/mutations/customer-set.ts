import { createCustomer, updateCustomer, type CustomerRecord } from '../../store/index.ts';
import type { ExecContext } from '../context.ts';
import { notImplemented } from '../errors.ts';
import { customerView } from '../views/order.ts';
import { contactErrors, customerInput } from './customers.ts';
import { mutation, numericId, userError, type Input, type UserErrorData } from './common.ts';

function result(ctx: ExecContext, customer: CustomerRecord | null, userErrors: UserErrorData[]) {
  return { customer: customer ? customerView(ctx, customer) : null, userErrors };
}

function findBy(ctx: ExecContext, match: (c: CustomerRecord) => boolean): CustomerRecord | undefined {
  for (const c of ctx.shop.customers.values()) if (match(c)) return c;
  return undefined;
}

/** Target of customerSet: by identifier (id, email, phone), or none (create). */
function target(ctx: ExecContext, identifier: Input | null): CustomerRecord | null | UserErrorData {
  if (!identifier) return null;
  if (identifier['customId']) throw notImplemented("Identifier 'customId' of CustomerSetIdentifiers");
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
  const found = target(ctx, (args['identifier'] as Input | null | undefined) ?? null);
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
  return result(ctx, createCustomer(ctx.store, ctx.shop, input, ctx.appKey), []);
});
