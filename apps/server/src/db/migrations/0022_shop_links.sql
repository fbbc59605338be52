-- Referral and affiliate links name their shop: /r/{shop slug}/{code}. A code is unique only
-- within its shop, so a link without the shop could be taken over by another shop's code
-- (audit H3). The slug is made once from the shop's name and never changes: links are printed.
ALTER TABLE shops ADD COLUMN slug text;

-- Existing shops, oldest first, get the name without diacritics in lower case, words joined by
-- dashes (at most 40 characters; "shop" for a name with no letters or digits), and -2, -3 …
-- when an older shop has it already. shops/shop-slug.ts makes new ones the same way.
DO $$
DECLARE
  s record;
  base text;
  candidate text;
  n integer;
BEGIN
  FOR s IN SELECT id, name FROM shops ORDER BY created_at, id LOOP
    base := trim(both '-' from left(regexp_replace(lower(translate(
              regexp_replace(normalize(s.name, NFD), '[\u0300-\u036f]', '', 'g'),
              'łŁ', 'lL')), '[^a-z0-9]+', '-', 'g'), 40));
    IF base = '' THEN base := 'shop'; END IF;
    candidate := base;
    n := 1;
    WHILE EXISTS (SELECT 1 FROM shops WHERE slug = candidate) LOOP
      n := n + 1;
      candidate := rtrim(left(base, 39 - length(n::text)), '-') || '-' || n;
    END LOOP;
    UPDATE shops SET slug = candidate WHERE id = s.id;
  END LOOP;
END $$;

ALTER TABLE shops ALTER COLUMN slug SET NOT NULL;
-- A link's shop is found by its slug, across the instance (like an API key's hash).
CREATE UNIQUE INDEX shops_slug ON shops (slug);

-- The links without a shop (/r/{code}, handed out before this migration) keep working: the code
-- belongs to the shop that claimed it first (created_at), whatever other shops create later.
-- Existing duplicates across shops are resolved by that rule, nothing is renamed.
-- Affiliates' claims outlive archiving, so archiving never hands a link to another shop.

-- One visit per link, client address and day is counted: repeated requests find the first.
CREATE INDEX referral_visits_client
  ON referral_visits (shop_id, referrer_customer_id, client_address, visited_at);
CREATE INDEX affiliate_visits_client
  ON affiliate_visits (shop_id, affiliate_id, client_address, visited_at);
