-- On-site pop-ups (newsletter sign-up with double opt-in and a welcome coupon): the shop's
-- pop-ups, each visitor's impressions (one per visitor, pop-up and day, for A/B results) and the
-- sign-ups with the proof of the consent they carry.

CREATE TABLE popups (
  shop_id             text NOT NULL REFERENCES shops (id),
  id                  text NOT NULL,
  name                text NOT NULL,
  kind                text NOT NULL CHECK (kind IN ('newsletter')),
  status              text NOT NULL CHECK (status IN ('active', 'paused', 'archived')),
  definition          jsonb NOT NULL,     -- variants, triggers, pages, audience, frequency (popups/popup-schema.ts)
  coupon_campaign_id  text,               -- the welcome coupon's campaign; null = no coupon
  coupon_valid_days   integer CHECK (coupon_valid_days BETWEEN 1 AND 365),
  created_at          timestamptz NOT NULL,
  updated_at          timestamptz NOT NULL,
  PRIMARY KEY (shop_id, id)
);
CREATE INDEX popups_active ON popups (shop_id) WHERE status = 'active';

-- Seen by a visitor (the widget's random id, kept in the browser's localStorage): once a day.
CREATE TABLE popup_impressions (
  shop_id     text NOT NULL,
  popup_id    text NOT NULL,
  visitor_id  text NOT NULL,
  day         date NOT NULL,              -- the shop's local day
  variant     text NOT NULL,
  created_at  timestamptz NOT NULL,
  PRIMARY KEY (shop_id, popup_id, visitor_id, day),
  FOREIGN KEY (shop_id, popup_id) REFERENCES popups (shop_id, id)
);
CREATE INDEX popup_impressions_variant ON popup_impressions (shop_id, popup_id, variant);

-- A sign-up: pending until the person follows the link in the confirmation e-mail. What they
-- saw (the exact consent text), where (page), when and from which client is the proof, copied
-- into consent_events once confirmed. Unconfirmed ones are deleted after 30 days.
CREATE TABLE popup_sign_ups (
  shop_id           text NOT NULL,
  id                text NOT NULL,
  popup_id          text NOT NULL,
  variant           text NOT NULL,
  visitor_id        text,
  email             text,               -- lower case; null once the customer is erased
  locale            text NOT NULL CHECK (locale IN ('pl', 'en')),
  text_shown        text,
  page              text,
  client_address    text,
  user_agent        text,
  signed_up_at      timestamptz NOT NULL,
  mail_sent_at      timestamptz,
  mails_sent        integer NOT NULL DEFAULT 0,
  confirmed_at      timestamptz,
  customer_id       text,               -- once known (found by e-mail, or created)
  consent_event_id  text,               -- the consent recorded from this sign-up
  coupon_id         text,               -- the welcome coupon, issued once
  PRIMARY KEY (shop_id, id),
  FOREIGN KEY (shop_id, popup_id) REFERENCES popups (shop_id, id)
);
CREATE UNIQUE INDEX popup_sign_ups_email ON popup_sign_ups (shop_id, popup_id, email);
CREATE INDEX popup_sign_ups_results ON popup_sign_ups (shop_id, popup_id, variant);
CREATE INDEX popup_sign_ups_unlinked ON popup_sign_ups (shop_id, email)
  WHERE confirmed_at IS NOT NULL AND consent_event_id IS NULL;
CREATE INDEX popup_sign_ups_customer ON popup_sign_ups (shop_id, customer_id)
  WHERE customer_id IS NOT NULL;
CREATE INDEX popup_sign_ups_unconfirmed ON popup_sign_ups (signed_up_at)
  WHERE confirmed_at IS NULL;

-- Consent given through a pop-up (double opt-in), and the page it was given on.
ALTER TABLE consent_events DROP CONSTRAINT consent_events_source_check;
ALTER TABLE consent_events ADD CONSTRAINT consent_events_source_check CHECK (source IN
  ('api', 'preferences_page', 'unsubscribe_link', 'list_unsubscribe', 'sms_stop', 'staff', 'popup'));
ALTER TABLE consent_events ADD COLUMN page text;
