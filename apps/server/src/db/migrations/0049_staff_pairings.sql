-- The staff counter app (issue 18, docs/staff-app.md).
--
-- A pairing: the owner names a device in the dashboard and shows its QR code; the phone that
-- opens it within 10 minutes exchanges the code (once) for its own staff token. Only the
-- SHA-256 of the code is kept; the staff member it made is named once it is used.
CREATE TABLE staff_pairings (
  shop_id          text NOT NULL REFERENCES shops (id) ON DELETE CASCADE,
  id               text NOT NULL,
  name             text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  role             text NOT NULL CHECK (role IN ('staff', 'manager')),
  code_hash        bytea NOT NULL,
  created_at       timestamptz NOT NULL,
  expires_at       timestamptz NOT NULL,
  used_at          timestamptz,
  staff_member_id  text,
  PRIMARY KEY (shop_id, id),
  FOREIGN KEY (shop_id, staff_member_id) REFERENCES staff_members (shop_id, id),
  CHECK ((used_at IS NULL) = (staff_member_id IS NULL))
);
-- The code finds its shop (the deliberate cross-shop lookup, as for staff tokens).
CREATE INDEX staff_pairings_code ON staff_pairings (code_hash);

-- A customer signed up at the counter: the customer is created through the event log like any
-- other (customer.created), and the consents given on the staff device's screen are recorded
-- with their proof (the exact text shown, in the language shown) when that event is applied.
CREATE TABLE counter_sign_ups (
  shop_id              text NOT NULL REFERENCES shops (id) ON DELETE CASCADE,
  id                   text NOT NULL,
  customer_external_id text NOT NULL,
  staff_member_id      text NOT NULL,
  locale               text NOT NULL CHECK (locale IN ('pl', 'en')),
  -- [{channel, purpose, granted, text}]
  consents             jsonb NOT NULL,
  created_at           timestamptz NOT NULL,
  consents_recorded_at timestamptz,
  PRIMARY KEY (shop_id, id),
  FOREIGN KEY (shop_id, staff_member_id) REFERENCES staff_members (shop_id, id)
);
CREATE UNIQUE INDEX counter_sign_ups_customer ON counter_sign_ups (shop_id, customer_external_id);
