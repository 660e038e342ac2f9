-- Accounts: a role beside the seed's users columns, and bearer tokens of
-- which only the SHA-256 is kept. Tables of moviedb's own (not the seed's)
-- name their columns in snake_case throughout.

ALTER TABLE users ADD COLUMN role text NOT NULL DEFAULT 'user'
    CONSTRAINT users_role_check CHECK (role IN ('user', 'admin'));

CREATE TABLE auth_tokens (
    token_hash   text PRIMARY KEY CONSTRAINT auth_tokens_hash_check CHECK (length(token_hash) = 64),
    user_id      bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at   timestamptz NOT NULL,
    expires_at   timestamptz NOT NULL,
    last_used_at timestamptz
);
CREATE INDEX auth_tokens_user_id_idx ON auth_tokens (user_id);
CREATE INDEX auth_tokens_expires_at_idx ON auth_tokens (expires_at);
