-- Every primary key and unique index of a shop's table begins with shop_id (issue 20, Citus
-- readiness; test/db/citus-readiness.test.ts checks the whole schema). Citus can only enforce a
-- key that contains the distribution column, and a key that begins with it is also the index a
-- shop-scoped read uses. Five tables still had keys of their own:

-- The audit log and its intents: bigserial ids, unique anyway; the key now leads with the shop.
-- audit_log_shop (shop_id, id DESC) is the new primary key read backwards: dropped.
ALTER TABLE audit_log DROP CONSTRAINT audit_log_pkey, ADD PRIMARY KEY (shop_id, id);
DROP INDEX audit_log_shop;
ALTER TABLE audit_intents DROP CONSTRAINT audit_intents_pkey, ADD PRIMARY KEY (shop_id, id);

-- Invitations: the accept link names the invitation only (its id, signed), so that one lookup
-- keeps an index of its own; on Citus it is a query to every shard, made once per invitation.
ALTER TABLE invitations DROP CONSTRAINT invitations_pkey, ADD PRIMARY KEY (shop_id, id);
CREATE INDEX invitations_id ON invitations (id);

-- API keys and staff devices are found by the hash of their token alone (the token is what
-- names the shop). The hash of 32 random bytes is unique without a constraint, which a table
-- distributed by shop_id could not enforce across shops anyway: a plain index finds it.
DROP INDEX api_keys_token_hash;
CREATE INDEX api_keys_token_hash ON api_keys (token_hash);
DROP INDEX staff_members_token;
CREATE INDEX staff_members_token ON staff_members (token_hash);

-- Portal sign-in links are always looked up within their shop.
ALTER TABLE portal_sign_in_links DROP CONSTRAINT portal_sign_in_links_token_hash_key,
  ADD CONSTRAINT portal_sign_in_links_token_hash_key UNIQUE (shop_id, token_hash);

-- Citus moves shards between nodes by logical replication, which needs a key to find updated
-- and deleted rows: referral_sightings (an append-only log that ages out) has none of its own.
ALTER TABLE referral_sightings REPLICA IDENTITY FULL;
