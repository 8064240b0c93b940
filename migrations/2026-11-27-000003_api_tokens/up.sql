-- Personal API tokens (`berth_pat_<lookup>_<secret>`): the lookup finds the row, only a hash of
-- the secret is stored. A token's role is at most its owner's (enforced by the auth layer).
CREATE TABLE api_tokens (
    id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    user_id UUID NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    name TEXT NOT NULL CONSTRAINT api_tokens_name_length
        CHECK (char_length(btrim(name)) BETWEEN 1 AND 100),
    lookup TEXT NOT NULL CONSTRAINT api_tokens_lookup_format
        CHECK (lookup ~ '^[A-Za-z0-9]{8,64}$'),
    secret_hash BYTEA NOT NULL CONSTRAINT api_tokens_secret_hash_length
        CHECK (octet_length(secret_hash) BETWEEN 16 AND 512),
    role berth_role NOT NULL,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    expires_at TIMESTAMPTZ,
    last_used_at TIMESTAMPTZ,
    revoked_at TIMESTAMPTZ,
    CONSTRAINT api_tokens_lookup_unique UNIQUE (lookup)
);

-- A name is unique per user among the tokens not revoked (a revoked name may be reused).
CREATE UNIQUE INDEX api_tokens_user_name_unique ON api_tokens (user_id, name)
    WHERE revoked_at IS NULL;
CREATE INDEX api_tokens_user ON api_tokens (user_id, created_at DESC);
