-- The dashboard's customer search (GET /v1/customers) on shops with a million customers: every
-- kind of match is one index range, and a page is read newest first along the primary key.

-- Names compared without case and without Polish diacritics ("łuk" and "LUK" both find
-- "Łukasz"), the same whatever the database's collation: lower() alone leaves "Ł" as it is
-- under the C locale. IMMUTABLE so that it can be indexed; the search folds its input the same way.
CREATE FUNCTION lojal_search_fold(value text) RETURNS text
  LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
  AS $$ SELECT translate(lower(value), 'ĄĆĘŁŃÓŚŹŻąćęłńóśźż', 'acelnoszzacelnoszz') $$;

-- Prefix searches (LIKE 'abc%') need the pattern operator class: the database's collation is
-- not C, so the plain index on lower(email) cannot serve them.
CREATE INDEX customers_email_prefix ON customers (shop_id, lower(email) text_pattern_ops);
CREATE INDEX customers_first_name_prefix
  ON customers (shop_id, lojal_search_fold(first_name) text_pattern_ops);
CREATE INDEX customers_last_name_prefix
  ON customers (shop_id, lojal_search_fold(last_name) text_pattern_ops);
-- Phones are stored in E.164 (+48600100200): an exact number or the start of one.
CREATE INDEX customers_phone_prefix ON customers (shop_id, phone text_pattern_ops);

-- The tier filter: customers by computed tier, and by a tier assigned by hand.
CREATE INDEX customer_tiers_tier ON customer_tiers (shop_id, tier_id) WHERE tier_id IS NOT NULL;
CREATE INDEX customer_tiers_manual_tier ON customer_tiers (shop_id, manual_tier_id)
  WHERE manual_tier_id IS NOT NULL;
