-- Feedback: NPS/CSAT survey requests sent as one-click links and their answers; review requests,
-- reviews with moderation, and review photos uploaded through the public form.

-- Per-shop settings; absent means the defaults in survey-settings.ts.
CREATE TABLE survey_settings (
  shop_id              text PRIMARY KEY REFERENCES shops (id),
  answer_change_days   integer NOT NULL DEFAULT 7 CHECK (answer_change_days BETWEEN 0 AND 90),
  link_valid_days      integer NOT NULL DEFAULT 30 CHECK (link_valid_days BETWEEN 1 AND 365),
  follow_up_tasks      boolean NOT NULL DEFAULT true,
  updated_at           timestamptz NOT NULL
);

CREATE TABLE survey_requests (
  shop_id      text NOT NULL,
  id           text NOT NULL,
  customer_id  text NOT NULL,
  kind         text NOT NULL CHECK (kind IN ('nps', 'csat')),
  locale       text NOT NULL,
  message_id   text,                          -- the message that carried the links, if any
  run_id       text,                          -- the flow run that asked, if any
  created_at   timestamptz NOT NULL,
  expires_at   timestamptz NOT NULL,          -- the links stop working after this
  PRIMARY KEY (shop_id, id),
  FOREIGN KEY (shop_id, customer_id) REFERENCES customers (shop_id, id)
);
-- A message retried by the sender asks once.
CREATE UNIQUE INDEX survey_requests_message ON survey_requests (shop_id, message_id)
  WHERE message_id IS NOT NULL;
CREATE INDEX survey_requests_created ON survey_requests (shop_id, kind, created_at);

-- One answer per request: a later click changes it (until changeable_until), never adds one.
CREATE TABLE survey_answers (
  shop_id            text NOT NULL,
  request_id         text NOT NULL,
  customer_id        text NOT NULL,
  kind               text NOT NULL CHECK (kind IN ('nps', 'csat')),
  score              smallint NOT NULL CHECK (score BETWEEN 0 AND 10),
  comment            text,
  task_id            text,                    -- the follow-up task a low score opened
  changes            integer NOT NULL DEFAULT 0,
  first_answered_at  timestamptz NOT NULL,
  answered_at        timestamptz NOT NULL,    -- the latest change
  changeable_until   timestamptz NOT NULL,
  PRIMARY KEY (shop_id, request_id),
  FOREIGN KEY (shop_id, request_id) REFERENCES survey_requests (shop_id, id),
  FOREIGN KEY (shop_id, customer_id) REFERENCES customers (shop_id, id)
);
CREATE INDEX survey_answers_customer ON survey_answers (shop_id, customer_id, first_answered_at);

CREATE TABLE review_requests (
  shop_id      text NOT NULL,
  id           text NOT NULL,
  customer_id  text NOT NULL,
  order_id     text,                          -- the shop's own order id
  product_ids  text[] NOT NULL DEFAULT '{}',   -- the shop's own product ids
  locale       text NOT NULL,
  created_at   timestamptz NOT NULL,
  expires_at   timestamptz NOT NULL,
  PRIMARY KEY (shop_id, id),
  FOREIGN KEY (shop_id, customer_id) REFERENCES customers (shop_id, id)
);

CREATE TABLE reviews (
  shop_id          text NOT NULL,
  id               text NOT NULL,
  customer_id      text NOT NULL,
  request_id       text,
  target           text NOT NULL CHECK (target IN ('product', 'shop')),
  product_id       text,                      -- the shop's own product id
  rating           smallint NOT NULL CHECK (rating BETWEEN 1 AND 5),
  title            text,
  body             text CHECK (length(body) <= 5000),
  photo_url        text,                      -- an https address, or null
  has_photo        boolean NOT NULL DEFAULT false,
  status           text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'approved', 'rejected')),
  moderation_note  text,
  moderated_by     text,
  moderated_at     timestamptz,
  created_at       timestamptz NOT NULL,
  updated_at       timestamptz NOT NULL,
  PRIMARY KEY (shop_id, id),
  FOREIGN KEY (shop_id, customer_id) REFERENCES customers (shop_id, id),
  FOREIGN KEY (shop_id, request_id) REFERENCES review_requests (shop_id, id),
  CHECK ((target = 'product') = (product_id IS NOT NULL))
);
-- One review per product (or the shop) per request: sending the form again edits it.
CREATE UNIQUE INDEX reviews_request_target ON reviews (shop_id, request_id, coalesce(product_id, ''))
  WHERE request_id IS NOT NULL;
CREATE INDEX reviews_status ON reviews (shop_id, status, id);
CREATE INDEX reviews_product ON reviews (shop_id, product_id, id) WHERE status = 'approved';

-- Photos uploaded through the public form, checked by their magic bytes before they land here.
CREATE TABLE review_photos (
  shop_id       text NOT NULL,
  review_id     text NOT NULL,
  content_type  text NOT NULL CHECK (content_type IN ('image/jpeg', 'image/png', 'image/webp')),
  bytes         bytea NOT NULL,
  created_at    timestamptz NOT NULL,
  PRIMARY KEY (shop_id, review_id),
  FOREIGN KEY (shop_id, review_id) REFERENCES reviews (shop_id, id)
);
