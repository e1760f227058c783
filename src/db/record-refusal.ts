import { pgConstraint, pgErrorCode } from './db.ts';

const FRIENDLY: Readonly<Record<string, string>> = {
  products_handle_key: 'another product already has this handle',
  variants_sku_key: 'another variant already has this SKU',
  customers_email_key: 'another customer already has this email',
  orders_number_key: 'another order already has this number',
  locations_name_key: 'another location already has this name',
};

/**
 * Why the database refused one record (a constraint or a data error), in words a merchant can act on;
 * undefined for any other failure (connection lost, a bug), which is not the record's fault.
 */
export function recordRefusal(err: unknown): string | undefined {
  const code = pgErrorCode(err);
  if (!code || !(code.startsWith('23') || code.startsWith('22'))) return undefined;
  const constraint = pgConstraint(err);
  return (constraint && FRIENDLY[constraint]) ?? `${constraint ?? code}: ${(err as Error).message}`;
}
