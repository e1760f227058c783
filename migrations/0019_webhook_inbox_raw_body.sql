-- Every signed delivery is stored, whatever its text: `raw_body` holds it exactly as received (the
-- readers parse it losslessly, so 64-bit ids keep every digit), and `body` is the same payload as jsonb
-- with the text Postgres refuses (U+0000, lone surrogates) replaced by U+FFFD, or null when it cannot
-- be read as one object (the apply job then parks it as a dead letter with the reason).
alter table shopify_webhook_inbox add column raw_body text;
alter table shopify_webhook_inbox alter column body drop not null;
