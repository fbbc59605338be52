-- People who run shops sign in to the dashboard (API.md "Merchant accounts"); integrations keep
-- using API keys. One user may belong to several shops, with one role in each.
CREATE TABLE users (
  id                  text PRIMARY KEY,
  email               text NOT NULL,
  name                text NOT NULL,
  -- argon2id in its PHC string form ($argon2id$v=19$m=…); never a fast hash: passwords are
  -- low-entropy.
  password_hash       text NOT NULL,
  -- The TOTP secret, sealed with the instance key; confirmed once a first code matched.
  totp_secret         bytea,
  totp_enabled_at     timestamptz,
  created_at          timestamptz NOT NULL,
  password_changed_at timestamptz NOT NULL
);
-- E-mail addresses are compared without case: Ala@… and ala@… are one person.
CREATE UNIQUE INDEX users_email ON users (lower(email));

CREATE TABLE memberships (
  shop_id    text NOT NULL REFERENCES shops (id),
  user_id    text NOT NULL REFERENCES users (id),
  role       text NOT NULL CHECK (role IN ('owner', 'admin', 'marketer', 'support', 'analyst')),
  created_at timestamptz NOT NULL,
  PRIMARY KEY (shop_id, user_id)
);
CREATE INDEX memberships_user ON memberships (user_id);

-- A signed-in browser. Only the SHA-256 of the random cookie value is kept, so a copy of the
-- table opens no session. `ended_at` ends it at once (log out everywhere, a removed member).
CREATE TABLE user_sessions (
  id           text PRIMARY KEY,
  user_id      text NOT NULL REFERENCES users (id),
  token_hash   bytea NOT NULL UNIQUE,
  created_at   timestamptz NOT NULL,
  last_seen_at timestamptz NOT NULL,
  expires_at   timestamptz NOT NULL,
  ended_at     timestamptz
);
CREATE INDEX user_sessions_user ON user_sessions (user_id) WHERE ended_at IS NULL;

-- An invitation link is signed and names this row; accepting stamps accepted_at, once.
CREATE TABLE invitations (
  id          text PRIMARY KEY,
  shop_id     text NOT NULL REFERENCES shops (id),
  email       text NOT NULL,
  role        text NOT NULL CHECK (role IN ('owner', 'admin', 'marketer', 'support', 'analyst')),
  invited_by  text NOT NULL,
  created_at  timestamptz NOT NULL,
  expires_at  timestamptz NOT NULL,
  accepted_at timestamptz,
  revoked_at  timestamptz
);
CREATE INDEX invitations_shop ON invitations (shop_id, created_at);

-- A reset link is signed and names this row; it works once, and only while the password is the
-- one it was asked for.
CREATE TABLE password_resets (
  id         text PRIMARY KEY,
  user_id    text NOT NULL REFERENCES users (id),
  created_at timestamptz NOT NULL,
  expires_at timestamptz NOT NULL,
  used_at    timestamptz
);

-- Mail to merchants' people (invitations, password resets) when SMTP_URL is not set. Apart from
-- mail_outbox, which a shop's API key can read: a reset link there would open another shop.
CREATE TABLE account_mail (
  id         bigserial PRIMARY KEY,
  to_address text NOT NULL,
  subject    text NOT NULL,
  raw        text NOT NULL,
  created_at timestamptz NOT NULL
);

-- Who changed what in a shop: every write by a user, an API key, staff or the system, once.
CREATE TABLE audit_log (
  id          bigserial PRIMARY KEY,
  shop_id     text NOT NULL,
  at          timestamptz NOT NULL,
  actor_type  text NOT NULL CHECK (actor_type IN ('user', 'api_key', 'staff', 'system')),
  actor_id    text,
  actor_name  text,
  action      text NOT NULL,
  target_type text,
  target_id   text,
  before      jsonb,
  after       jsonb
);
CREATE INDEX audit_log_shop ON audit_log (shop_id, id DESC);

-- Append-only: a row once written is never changed or removed, whoever asks.
CREATE FUNCTION audit_log_is_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit_log is append-only: % is not allowed', TG_OP
    USING ERRCODE = 'insufficient_privilege';
END $$;
CREATE TRIGGER audit_log_append_only
  BEFORE UPDATE OR DELETE ON audit_log
  FOR EACH ROW EXECUTE FUNCTION audit_log_is_append_only();
CREATE TRIGGER audit_log_no_truncate
  BEFORE TRUNCATE ON audit_log
  FOR EACH STATEMENT EXECUTE FUNCTION audit_log_is_append_only();
