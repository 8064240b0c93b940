-- Who may sign in: local accounts (with a password hash) and SSO users (without one). Users are
-- disabled, never deleted, so that the audit trail keeps pointing at them.
-- The role is an enum whose order is the order of privilege: viewer < operator < admin.
CREATE TYPE berth_role AS ENUM ('viewer', 'operator', 'admin');

CREATE TABLE users (
    id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    -- Stored normalised (lowercase, trimmed) by the application; the CHECK refuses anything else,
    -- so the plain unique constraint is a case-insensitive one.
    username TEXT NOT NULL CONSTRAINT users_username_format CHECK (username ~ '^[a-z0-9._-]{1,64}$'),
    display_name TEXT NOT NULL CONSTRAINT users_display_name_length
        CHECK (char_length(btrim(display_name)) BETWEEN 1 AND 128),
    email TEXT CONSTRAINT users_email_format
        CHECK (email IS NULL OR (char_length(email) BETWEEN 3 AND 320 AND email LIKE '_%@_%')),
    role berth_role NOT NULL DEFAULT 'viewer',
    -- An argon2id PHC string; NULL for users who can only sign in through SSO.
    password_hash TEXT CONSTRAINT users_password_hash_nonempty
        CHECK (password_hash IS NULL OR char_length(password_hash) BETWEEN 1 AND 1024),
    disabled_at TIMESTAMPTZ,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    last_login_at TIMESTAMPTZ,
    CONSTRAINT users_username_unique UNIQUE (username)
);

-- Counting the active admins (the last one may not be demoted or disabled).
CREATE INDEX users_active_admins ON users (id) WHERE role = 'admin' AND disabled_at IS NULL;
