-- Gift-card codes are bearer value (audit L8): a read of the database must not give spendable
-- codes. Each card keeps the SHA-256 of its shop id, ':' and its code as codes are compared
-- (upper case, without spaces or dashes: coupons/coupon-code.ts normalizeCode, and the old
-- generated code_key), and the code's last four characters to show ("…7KQ2"). Codes are ASCII
-- letters, digits and dashes (the issue route allows nothing else), where upper() and \s agree
-- with the application's toUpperCase() and /\s/. gift-cards/gift-card-code.ts hashes new codes.
ALTER TABLE gift_cards ADD COLUMN code_hash bytea, ADD COLUMN code_hint text;

UPDATE gift_cards SET
  code_hash = sha256(convert_to(shop_id || ':' || upper(regexp_replace(code, '[\s-]', '', 'g')), 'UTF8')),
  code_hint = '…' || right(upper(regexp_replace(code, '[\s-]', '', 'g')), 4);

ALTER TABLE gift_cards
  ALTER COLUMN code_hash SET NOT NULL,
  ALTER COLUMN code_hint SET NOT NULL,
  DROP COLUMN code_key,
  DROP COLUMN code,
  ADD UNIQUE (shop_id, code_hash);
