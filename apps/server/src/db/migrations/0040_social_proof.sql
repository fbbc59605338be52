-- Social proof on the storefront (issue 15): per-shop settings, the consent a customer gives to
-- have their first name shown, and an index to count a product's buyers without scanning lines.

-- Absent means the defaults in social-proof/social-proof-settings.ts (switched off).
CREATE TABLE social_proof_settings (
  shop_id            text PRIMARY KEY REFERENCES shops (id),
  enabled            boolean NOT NULL DEFAULT false,
  -- Fewer distinct customers than this and a message is not shown (never below 3).
  min_customers      integer NOT NULL DEFAULT 3 CHECK (min_customers BETWEEN 3 AND 1000),
  -- How far back "recently" reaches for the city and first-name messages.
  recent_days        integer NOT NULL DEFAULT 7 CHECK (recent_days BETWEEN 1 AND 90),
  show_first_names   boolean NOT NULL DEFAULT false,
  messages           text[] NOT NULL DEFAULT '{bought_today,recent_city}'
                       CHECK (messages <@ ARRAY['bought_today', 'recent_city', 'recent_name']),
  updated_at         timestamptz NOT NULL
);

-- "Show my first name when I buy" is a consent like the others, kept with its proof in
-- consent_events: the storefront is its channel, social proof its purpose, and no other
-- purpose goes with that channel.
ALTER TABLE consents
  DROP CONSTRAINT consents_channel_check,
  DROP CONSTRAINT consents_purpose_check,
  ADD CONSTRAINT consents_channel_purpose_check CHECK (
    (channel IN ('email', 'sms', 'push') AND purpose IN ('marketing', 'loyalty', 'feedback'))
    OR (channel = 'storefront' AND purpose = 'social_proof')
  );

-- The customer's own answer given in the shop's storefront (the widget, the portal).
ALTER TABLE consent_events
  DROP CONSTRAINT consent_events_source_check,
  ADD CONSTRAINT consent_events_source_check CHECK (source IN
    ('api', 'preferences_page', 'unsubscribe_link', 'list_unsubscribe', 'sms_stop', 'staff',
     'popup', 'storefront'));

-- A product's paid orders of today and the last days, counted on every product page view.
CREATE INDEX order_lines_product ON order_lines (shop_id, product_id, order_id)
  WHERE product_id IS NOT NULL;
