import { CoreError } from './errors.ts';
import { pgConstraint, pgErrorCode, PG_FOREIGN_KEY_VIOLATION, PG_UNIQUE_VIOLATION } from '../db/db.ts';

/** Unique-index names → the conflict code and message the API shows. */
const UNIQUE: Record<string, [code: string, message: string]> = {
  variants_sku_key: ['duplicate_sku', 'another variant of this tenant already has that SKU'],
  products_handle_key: ['duplicate_handle', 'another product of this tenant already has that handle'],
  customers_email_key: ['duplicate_email', 'another customer of this tenant already has that email'],
  orders_number_key: ['duplicate_order_number', 'another order of this tenant already has that number'],
  locations_name_key: ['duplicate_location_name', 'another location of this tenant already has that name'],
  users_email_key: ['duplicate_email', 'a user with that email already exists'],
};

/** Turns a unique or foreign-key violation (a db error) into a CoreError; anything else is rethrown unchanged. */
export function rethrowConstraint(err: unknown): never {
  const code = pgErrorCode(err);
  const constraint = pgConstraint(err) ?? '';
  if (code === PG_UNIQUE_VIOLATION) {
    const [c, message] = UNIQUE[constraint] ?? ['conflict', `unique constraint ${constraint} violated`];
    throw new CoreError('conflict', c, message, { constraint }, { cause: err });
  }
  if (code === PG_FOREIGN_KEY_VIOLATION) {
    throw new CoreError(
      'invalid',
      'unknown_reference',
      'a referenced record does not exist',
      { constraint },
      { cause: err },
    );
  }
  throw err;
}
