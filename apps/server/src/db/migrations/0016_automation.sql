-- Lifecycle automation and messaging: a shop's messaging settings, consent with proof,
-- suppressions, flows and their runs, the trigger outbox other features write to, the message
-- queue and delivery log, push subscriptions, webhook endpoints, template overrides, and the
-- local mail outbox used when no SMTP server is configured.

CREATE TABLE messaging_settings (
  shop_id               text PRIMARY KEY REFERENCES shops (id),
  sender_name           text,
  from_address          text,
  reply_to              text,
  postal_address        text,                 -- shown in every e-mail footer
  brand                 jsonb NOT NULL DEFAULT '{}',
  sms_sender            text,
  sms_provider          text CHECK (sms_provider IN ('smsapi', 'twilio')),
  sms_credentials       bytea,                -- sealed with the instance key
  vapid_public_key      text,
  vapid_private_key     bytea,                -- sealed with the instance key
  quiet_start           time NOT NULL DEFAULT '21:00',
  quiet_end             time NOT NULL DEFAULT '08:00',
  weekly_marketing_cap  integer NOT NULL DEFAULT 3 CHECK (weekly_marketing_cap >= 0),
  tracking              boolean NOT NULL DEFAULT true,
  conversion_days       integer NOT NULL DEFAULT 5 CHECK (conversion_days BETWEEN 0 AND 90),
  updated_at            timestamptz NOT NULL DEFAULT now()
);

-- The current answer per channel and purpose; absent means the default (see docs/automation.md).
CREATE TABLE consents (
  shop_id       text NOT NULL,
  customer_id   text NOT NULL,
  channel       text NOT NULL CHECK (channel IN ('email', 'sms', 'push')),
  purpose       text NOT NULL CHECK (purpose IN ('marketing', 'loyalty', 'feedback')),
  granted       boolean NOT NULL,
  changed_at    timestamptz NOT NULL,
  event_id      text NOT NULL,
  PRIMARY KEY (shop_id, customer_id, channel, purpose),
  FOREIGN KEY (shop_id, customer_id) REFERENCES customers (shop_id, id)
);

-- Proof: every change, with when, where from, the client and the exact text the person saw.
CREATE TABLE consent_events (
  shop_id         text NOT NULL,
  id              text NOT NULL,
  customer_id     text NOT NULL,
  channel         text NOT NULL,
  purpose         text NOT NULL,
  granted         boolean NOT NULL,
  source          text NOT NULL CHECK (source IN
                    ('api', 'preferences_page', 'unsubscribe_link', 'list_unsubscribe', 'sms_stop', 'staff')),
  text_shown      text,
  client_address  text,
  user_agent      text,
  message_id      text,
  occurred_at     timestamptz NOT NULL,
  PRIMARY KEY (shop_id, id),
  FOREIGN KEY (shop_id, customer_id) REFERENCES customers (shop_id, id)
);
CREATE INDEX consent_events_customer ON consent_events (shop_id, customer_id, id);

-- Addresses nothing non-transactional (bounced: nothing at all) may be sent to again.
CREATE TABLE suppressions (
  shop_id     text NOT NULL REFERENCES shops (id),
  channel     text NOT NULL CHECK (channel IN ('email', 'sms', 'push')),
  address     text NOT NULL,                  -- lower-case e-mail, E.164 phone, push endpoint
  reason      text NOT NULL CHECK (reason IN ('bounced', 'complained', 'stop')),
  message_id  text,
  created_at  timestamptz NOT NULL,
  PRIMARY KEY (shop_id, channel, address)
);

CREATE TABLE flows (
  shop_id     text NOT NULL REFERENCES shops (id),
  id          text NOT NULL,
  name        text NOT NULL,
  ready_key   text,                           -- the ready-made flow it was switched on from
  status      text NOT NULL CHECK (status IN ('active', 'paused', 'archived')),
  version     integer NOT NULL DEFAULT 1,
  definition  jsonb NOT NULL,                 -- trigger, steps, exit, re-entry (flow-definition.ts)
  created_at  timestamptz NOT NULL,
  updated_at  timestamptz NOT NULL,
  PRIMARY KEY (shop_id, id)
);
CREATE UNIQUE INDEX flows_ready_key ON flows (shop_id, ready_key) WHERE ready_key IS NOT NULL;

-- A run keeps the definition it started with.
CREATE TABLE flow_versions (
  shop_id     text NOT NULL,
  flow_id     text NOT NULL,
  version     integer NOT NULL,
  definition  jsonb NOT NULL,
  created_at  timestamptz NOT NULL,
  PRIMARY KEY (shop_id, flow_id, version),
  FOREIGN KEY (shop_id, flow_id) REFERENCES flows (shop_id, id)
);

-- What other features report for flows to react to (tier changes, referral qualified, survey
-- answered, …), written in the same transaction as the change; the flow engine consumes it.
CREATE TABLE automation_triggers (
  shop_id       text NOT NULL,
  id            text NOT NULL,
  customer_id   text NOT NULL,
  type          text NOT NULL,
  data          jsonb NOT NULL DEFAULT '{}',
  occurred_at   timestamptz NOT NULL,
  processed_at  timestamptz,
  error         text,                         -- why it started nothing, when it failed
  PRIMARY KEY (shop_id, id)
);
CREATE INDEX automation_triggers_pending ON automation_triggers (occurred_at, shop_id, id)
  WHERE processed_at IS NULL;

CREATE TABLE flow_runs (
  shop_id       text NOT NULL,
  id            text NOT NULL,
  flow_id       text NOT NULL,
  flow_version  integer NOT NULL,
  customer_id   text NOT NULL,
  trigger_key   text NOT NULL,                -- what started it; a replayed trigger starts nothing
  status        text NOT NULL CHECK (status IN ('active', 'completed', 'exited', 'failed')),
  step_index    integer NOT NULL DEFAULT 0,
  due_at        timestamptz,                  -- when the current step runs; null once ended
  variant       text,                         -- the A/B branch taken, 'holdout' for none
  context       jsonb NOT NULL DEFAULT '{}',  -- the trigger's data and what steps produced
  attempts      integer NOT NULL DEFAULT 0,
  last_error    text,
  started_at    timestamptz NOT NULL,
  ended_at      timestamptz,
  end_reason    text,
  PRIMARY KEY (shop_id, id),
  FOREIGN KEY (shop_id, flow_id, flow_version) REFERENCES flow_versions (shop_id, flow_id, version),
  FOREIGN KEY (shop_id, customer_id) REFERENCES customers (shop_id, id)
);
CREATE UNIQUE INDEX flow_runs_one_active ON flow_runs (shop_id, flow_id, customer_id)
  WHERE status = 'active';
CREATE UNIQUE INDEX flow_runs_trigger ON flow_runs (shop_id, flow_id, customer_id, trigger_key);
CREATE INDEX flow_runs_due ON flow_runs (due_at) WHERE status = 'active';
CREATE INDEX flow_runs_customer ON flow_runs (shop_id, customer_id, flow_id);

-- One row per step a run has passed: the audit trail and the per-step results.
CREATE TABLE flow_run_steps (
  shop_id     text NOT NULL,
  run_id      text NOT NULL,
  step_index  integer NOT NULL,
  step_id     text NOT NULL,
  kind        text NOT NULL,
  outcome     text NOT NULL,
  detail      jsonb NOT NULL DEFAULT '{}',
  at          timestamptz NOT NULL,
  PRIMARY KEY (shop_id, run_id, step_index)
);

CREATE TABLE messages (
  shop_id             text NOT NULL,
  id                  text NOT NULL,
  send_key            text NOT NULL,          -- deterministic: run + step + customer, or the caller's
  customer_id         text,
  channel             text NOT NULL CHECK (channel IN ('email', 'sms', 'push', 'webhook')),
  purpose             text NOT NULL CHECK (purpose IN ('transactional', 'marketing', 'loyalty', 'feedback')),
  template_key        text NOT NULL,
  locale              text NOT NULL,
  variables           jsonb NOT NULL DEFAULT '{}',
  flow_id             text,
  run_id              text,
  step_id             text,
  variant             text,
  to_address          text,
  status              text NOT NULL CHECK (status IN
                        ('queued', 'claimed', 'sending', 'sent', 'delivered', 'bounced', 'failed', 'suppressed', 'uncertain')),
  status_reason       text,
  not_before          timestamptz NOT NULL,   -- quiet hours and backoff already applied
  attempts            integer NOT NULL DEFAULT 0,
  claim_token         text,
  claimed_at          timestamptz,
  subject             text,
  body_text           text,
  provider_id         text,
  segments            integer,
  created_at          timestamptz NOT NULL,
  sent_at             timestamptz,
  delivered_at        timestamptz,
  opened_at           timestamptz,
  clicked_at          timestamptz,
  converted_at        timestamptz,
  converted_order_id  text,
  PRIMARY KEY (shop_id, id)
);
CREATE UNIQUE INDEX messages_send_key ON messages (shop_id, send_key);
CREATE INDEX messages_due ON messages (not_before) WHERE status = 'queued';
CREATE INDEX messages_in_flight ON messages (claimed_at) WHERE status IN ('claimed', 'sending');
CREATE INDEX messages_customer ON messages (shop_id, customer_id, created_at);
CREATE INDEX messages_flow ON messages (shop_id, flow_id, step_id) WHERE flow_id IS NOT NULL;

CREATE TABLE message_events (
  shop_id         text NOT NULL,
  id              bigserial,
  message_id      text NOT NULL,
  kind            text NOT NULL CHECK (kind IN ('opened', 'clicked', 'delivered', 'bounced', 'complained', 'unsubscribed')),
  url             text,
  client_address  text,
  at              timestamptz NOT NULL,
  PRIMARY KEY (shop_id, id),
  FOREIGN KEY (shop_id, message_id) REFERENCES messages (shop_id, id)
);
CREATE INDEX message_events_message ON message_events (shop_id, message_id);

-- Mail kept here when SMTP_URL is not set: the full MIME text, readable through the API.
CREATE TABLE mail_outbox (
  shop_id     text NOT NULL,
  message_id  text NOT NULL,
  to_address  text NOT NULL,
  subject     text NOT NULL,
  raw         text NOT NULL,
  created_at  timestamptz NOT NULL,
  PRIMARY KEY (shop_id, message_id)
);

CREATE TABLE push_subscriptions (
  shop_id      text NOT NULL,
  id           text NOT NULL,
  customer_id  text NOT NULL,
  endpoint     text NOT NULL,
  p256dh       text NOT NULL,
  auth         text NOT NULL,
  user_agent   text,
  created_at   timestamptz NOT NULL,
  revoked_at   timestamptz,
  PRIMARY KEY (shop_id, id),
  FOREIGN KEY (shop_id, customer_id) REFERENCES customers (shop_id, id)
);
CREATE UNIQUE INDEX push_subscriptions_endpoint ON push_subscriptions (shop_id, endpoint);
CREATE INDEX push_subscriptions_customer ON push_subscriptions (shop_id, customer_id)
  WHERE revoked_at IS NULL;

CREATE TABLE webhook_endpoints (
  shop_id     text NOT NULL REFERENCES shops (id),
  id          text NOT NULL,
  url         text NOT NULL,
  secret      bytea NOT NULL,                 -- sealed with the instance key
  status      text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'disabled')),
  created_at  timestamptz NOT NULL,
  PRIMARY KEY (shop_id, id)
);

-- A merchant's edits of a ready-made template, per channel and language.
CREATE TABLE message_templates (
  shop_id       text NOT NULL REFERENCES shops (id),
  template_key  text NOT NULL,
  channel       text NOT NULL CHECK (channel IN ('email', 'sms', 'push')),
  locale        text NOT NULL,
  content       jsonb NOT NULL,
  updated_at    timestamptz NOT NULL,
  PRIMARY KEY (shop_id, template_key, channel, locale)
);

-- Coupons a flow's grant step issues (a second-order or win-back coupon).
ALTER TABLE coupons DROP CONSTRAINT coupons_source_check;
ALTER TABLE coupons ADD CONSTRAINT coupons_source_check
  CHECK (source IN ('reward', 'campaign', 'referral', 'flow'));
