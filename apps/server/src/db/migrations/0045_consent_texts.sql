-- The words a shop asks for consent with, per channel, purpose and language (issue 17, the
-- Messages page). The same words go into consent_events.text_shown when a customer answers, so
-- the proof says what the person saw. Absent means the default wording in
-- automations/consent-texts.ts.
CREATE TABLE consent_texts (
  shop_id     text NOT NULL REFERENCES shops (id),
  channel     text NOT NULL CHECK (channel IN ('email', 'sms', 'push')),
  purpose     text NOT NULL CHECK (purpose IN ('marketing', 'loyalty', 'feedback')),
  locale      text NOT NULL CHECK (locale IN ('pl', 'en')),
  text        text NOT NULL CHECK (length(text) BETWEEN 1 AND 1000),
  updated_at  timestamptz NOT NULL,
  PRIMARY KEY (shop_id, channel, purpose, locale)
);
