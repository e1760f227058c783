-- An order's shipping address (issue 17): the lines Shopify's orderUpdate writes (MailingAddressInput:
-- firstName, lastName, company, address1, address2, city, provinceCode, countryCode, zip, phone), as one
-- object with blank lines left out; null when the order has none. Orders imported before this column
-- get theirs from Shopify at their next webhook or reconciliation (their snapshot without an address
-- keeps its hash, so orders without one do not look changed).
alter table orders add column shipping_address jsonb
  constraint orders_shipping_address_object check (shipping_address is null or jsonb_typeof(shipping_address) = 'object');
