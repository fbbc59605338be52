-- Referral programme: campaigns, one code per customer, link visits, referrals with their
-- lifecycle and fraud reasons, and the rewards each referral gave.

-- Where GET /r/{code} sends a visitor.
ALTER TABLE shops ADD COLUMN storefront_url text;

CREATE TABLE referral_campaigns (
  shop_id     text NOT NULL REFERENCES shops (id),
  id          text NOT NULL,
  name        text NOT NULL,
  settings    jsonb NOT NULL,
  starts_at   timestamptz,
  ends_at     timestamptz,
  archived_at timestamptz,
  created_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (shop_id, id)
);

CREATE TABLE referral_codes (
  shop_id     text NOT NULL,
  customer_id text NOT NULL,
  code        text NOT NULL,
  -- compared without case, spaces or dashes, like coupon codes
  code_key    text NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (shop_id, customer_id),
  UNIQUE (shop_id, code_key),
  FOREIGN KEY (shop_id, customer_id) REFERENCES customers (shop_id, id)
);
-- /r/{code} carries no shop: the code alone finds it.
CREATE INDEX referral_codes_code_key ON referral_codes (code_key);

CREATE TABLE referral_visits (
  shop_id              text NOT NULL,
  id                   text NOT NULL,
  campaign_id          text,
  referrer_customer_id text NOT NULL,
  client_address       text,
  user_agent           text,
  visited_at           timestamptz NOT NULL,
  PRIMARY KEY (shop_id, id),
  FOREIGN KEY (shop_id, referrer_customer_id) REFERENCES customers (shop_id, id)
);
CREATE INDEX referral_visits_campaign ON referral_visits (shop_id, campaign_id, visited_at);

-- Where a signed-in customer was seen (the storefront reports it): self-referral by client.
CREATE TABLE referral_sightings (
  shop_id        text NOT NULL,
  customer_id    text NOT NULL,
  client_address text NOT NULL,
  user_agent     text NOT NULL,
  seen_at        timestamptz NOT NULL,
  FOREIGN KEY (shop_id, customer_id) REFERENCES customers (shop_id, id)
);
CREATE INDEX referral_sightings_customer ON referral_sightings (shop_id, customer_id, seen_at);

CREATE TABLE referrals (
  shop_id              text NOT NULL,
  id                   text NOT NULL,
  campaign_id          text NOT NULL,
  referrer_customer_id text NOT NULL,
  friend_customer_id   text NOT NULL,
  code                 text NOT NULL,
  source               text NOT NULL CHECK (source IN ('code', 'link', 'signup')),
  visit_id             text,
  client_address       text,
  user_agent           text,
  status               text NOT NULL CHECK (status IN
    ('clicked', 'signed_up', 'purchased', 'qualified', 'rewarded', 'rejected', 'flagged')),
  -- the stage a flagged referral waits at: approval returns it there
  held_status          text,
  reasons              jsonb NOT NULL DEFAULT '[]',
  risk_score           integer NOT NULL DEFAULT 0,
  review_note          text,
  order_id             text,
  order_total          bigint,
  due_at               timestamptz,
  clicked_at           timestamptz,
  signed_up_at         timestamptz,
  purchased_at         timestamptz,
  qualified_at         timestamptz,
  rewarded_at          timestamptz,
  rejected_at          timestamptz,
  flagged_at           timestamptz,
  approved_at          timestamptz,
  clawed_back_at       timestamptz,
  created_at           timestamptz NOT NULL,
  PRIMARY KEY (shop_id, id),
  -- a friend is referred once
  UNIQUE (shop_id, friend_customer_id),
  FOREIGN KEY (shop_id, campaign_id) REFERENCES referral_campaigns (shop_id, id),
  FOREIGN KEY (shop_id, referrer_customer_id) REFERENCES customers (shop_id, id),
  FOREIGN KEY (shop_id, friend_customer_id) REFERENCES customers (shop_id, id)
);
CREATE INDEX referrals_referrer ON referrals (shop_id, referrer_customer_id, created_at);
CREATE INDEX referrals_status ON referrals (shop_id, status, due_at);
CREATE INDEX referrals_order ON referrals (shop_id, order_id) WHERE order_id IS NOT NULL;

CREATE TABLE referral_rewards (
  shop_id     text NOT NULL,
  referral_id text NOT NULL,
  stage       text NOT NULL CHECK (stage IN ('lead', 'main')),
  party       text NOT NULL CHECK (party IN ('referrer', 'friend')),
  customer_id text NOT NULL,
  kind        text NOT NULL CHECK (kind IN ('points', 'coupon', 'reward')),
  points      bigint,
  entry_id    text,
  coupon_id   text,
  -- what the reward costs the shop, minor units (points at the campaign's point value)
  cost        bigint NOT NULL DEFAULT 0,
  given_at    timestamptz NOT NULL,
  revoked_at  timestamptz,
  PRIMARY KEY (shop_id, referral_id, stage, party),
  FOREIGN KEY (shop_id, referral_id) REFERENCES referrals (shop_id, id)
);
