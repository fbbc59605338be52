-- Referral programme, the rest of issue 5: rewards on every purchase up to N, the delivery
-- address check, terms kept per referral, thank-you notes, share messages, codes for customers
-- who existed before 0013, and affiliates (partners paid a commission).

-- The delivery address an order.paid carried ({line1, line2?, city, postalCode, country}).
ALTER TABLE orders ADD COLUMN shipping_address jsonb;

-- A referral keeps the terms it was made under, whatever later edits of its campaign say.
ALTER TABLE referrals ADD COLUMN terms jsonb;
UPDATE referrals r SET terms = c.settings
FROM referral_campaigns c WHERE c.shop_id = r.shop_id AND c.id = r.campaign_id;
ALTER TABLE referrals ALTER COLUMN terms SET NOT NULL;

-- The friend's one-line thank-you to the referrer.
ALTER TABLE referrals ADD COLUMN thank_you_note text, ADD COLUMN thank_you_at timestamptz;

-- The friend's further purchases rewarded under `main.everyPurchaseUpTo` (the first purchase
-- stays on the referral itself, as purchase 1). Each is held for the return window.
CREATE TABLE referral_purchases (
  shop_id      text NOT NULL,
  referral_id  text NOT NULL,
  purchase     integer NOT NULL CHECK (purchase >= 2),
  order_id     text NOT NULL,
  order_total  bigint NOT NULL,
  paid_at      timestamptz NOT NULL,
  due_at       timestamptz NOT NULL,
  status       text NOT NULL CHECK (status IN ('held', 'rewarded', 'cancelled', 'clawed_back')),
  reason       text,
  rewarded_at  timestamptz,
  ended_at     timestamptz,
  created_at   timestamptz NOT NULL,
  PRIMARY KEY (shop_id, referral_id, purchase),
  UNIQUE (shop_id, order_id),
  FOREIGN KEY (shop_id, referral_id) REFERENCES referrals (shop_id, id)
);
CREATE INDEX referral_purchases_due ON referral_purchases (due_at) WHERE status = 'held';

-- Rewards of purchase 2, 3, … sit beside those of the first.
ALTER TABLE referral_rewards ADD COLUMN purchase integer NOT NULL DEFAULT 1;
ALTER TABLE referral_rewards DROP CONSTRAINT referral_rewards_pkey;
ALTER TABLE referral_rewards ADD PRIMARY KEY (shop_id, referral_id, stage, party, purchase);

-- A customer's own wording of a share message, per channel and language.
CREATE TABLE referral_share_messages (
  shop_id     text NOT NULL,
  customer_id text NOT NULL,
  channel     text NOT NULL,
  locale      text NOT NULL,
  text        text NOT NULL,
  subject     text,
  updated_at  timestamptz NOT NULL,
  PRIMARY KEY (shop_id, customer_id, channel, locale),
  FOREIGN KEY (shop_id, customer_id) REFERENCES customers (shop_id, id)
);

-- Customers created before referral codes existed get one now, the way the app draws them:
-- the first name without diacritics (or LOJAL), a dash, symbols without look-alikes; a clash
-- draws again with two symbols more.
DO $$
DECLARE
  attempt integer := 0;
BEGIN
  LOOP
    INSERT INTO referral_codes (shop_id, customer_id, code, code_key, created_at)
    SELECT t.shop_id, t.id, t.code, replace(t.code, '-', ''), now()
    FROM (
      SELECT c.shop_id, c.id,
        (CASE WHEN length(n.name) >= 2 THEN n.name ELSE 'LOJAL' END) || '-' ||
        (SELECT string_agg(substr('34679ACDEFGHJKMNPQRTUVWXY', 1 + floor(random() * 25)::int, 1), '')
           FROM generate_series(1, 4 + attempt * 2) WHERE c.id IS NOT NULL) AS code
      FROM customers c
      CROSS JOIN LATERAL (
        SELECT left(regexp_replace(upper(translate(
                 regexp_replace(normalize(coalesce(c.first_name, ''), NFD), '[\u0300-\u036f]', '', 'g'),
                 'łŁ', 'LL')), '[^A-Z]', '', 'g'), 10) AS name
      ) n
      WHERE NOT EXISTS (SELECT 1 FROM referral_codes r WHERE r.shop_id = c.shop_id AND r.customer_id = c.id)
    ) t
    ON CONFLICT DO NOTHING;
    EXIT WHEN NOT EXISTS (
      SELECT 1 FROM customers c
      WHERE NOT EXISTS (SELECT 1 FROM referral_codes r WHERE r.shop_id = c.shop_id AND r.customer_id = c.id));
    attempt := attempt + 1;
    IF attempt > 10 THEN RAISE EXCEPTION 'could not draw unique referral codes'; END IF;
  END LOOP;
END $$;

-- Affiliates: business partners and creators with a code and link like a customer's, paid a
-- commission on the revenue they bring instead of customer rewards.
CREATE TABLE affiliates (
  shop_id            text NOT NULL REFERENCES shops (id),
  id                 text NOT NULL,
  name               text NOT NULL,
  email              text,
  code               text NOT NULL,
  code_key           text NOT NULL,
  commission_percent numeric(5, 2) NOT NULL CHECK (commission_percent > 0 AND commission_percent <= 100),
  -- how long after a link visit an order still counts
  attribution_window_days integer NOT NULL DEFAULT 30,
  archived_at        timestamptz,
  created_at         timestamptz NOT NULL,
  PRIMARY KEY (shop_id, id),
  UNIQUE (shop_id, code_key)
);
-- /r/{code} carries no shop: the code alone finds it.
CREATE INDEX affiliates_code_key ON affiliates (code_key);

CREATE TABLE affiliate_visits (
  shop_id        text NOT NULL,
  id             text NOT NULL,
  affiliate_id   text NOT NULL,
  client_address text,
  user_agent     text,
  visited_at     timestamptz NOT NULL,
  PRIMARY KEY (shop_id, id),
  FOREIGN KEY (shop_id, affiliate_id) REFERENCES affiliates (shop_id, id)
);

-- An order an affiliate brought: by the code on the order, or by the link (the storefront
-- hands the visit back). An order belongs to one affiliate.
CREATE TABLE affiliate_orders (
  shop_id       text NOT NULL,
  order_id      text NOT NULL,
  affiliate_id  text NOT NULL,
  source        text NOT NULL CHECK (source IN ('code', 'link')),
  visit_id      text,
  -- the rate when the order came: a later change of rate applies to later orders
  commission_percent numeric(5, 2) NOT NULL,
  attributed_at timestamptz NOT NULL,
  PRIMARY KEY (shop_id, order_id),
  FOREIGN KEY (shop_id, affiliate_id) REFERENCES affiliates (shop_id, id),
  FOREIGN KEY (shop_id, order_id) REFERENCES orders (shop_id, id)
);
CREATE INDEX affiliate_orders_affiliate ON affiliate_orders (shop_id, affiliate_id);

-- A period paid out, with the figures as they stood when it was paid.
CREATE TABLE affiliate_payouts (
  shop_id      text NOT NULL,
  affiliate_id text NOT NULL,
  period       text NOT NULL CHECK (period ~ '^\d{4}-\d{2}$'),
  orders       integer NOT NULL,
  revenue      bigint NOT NULL,
  refunds      bigint NOT NULL,
  commission   bigint NOT NULL,
  reference    text,
  paid_at      timestamptz NOT NULL,
  PRIMARY KEY (shop_id, affiliate_id, period),
  FOREIGN KEY (shop_id, affiliate_id) REFERENCES affiliates (shop_id, id)
);

-- The periodic release finds due referrals across shops; the velocity check finds a client
-- address's recent referrals.
CREATE INDEX referrals_due ON referrals (due_at, id) WHERE status = 'purchased';
CREATE INDEX referrals_client_address ON referrals (shop_id, client_address, created_at)
  WHERE client_address IS NOT NULL;
