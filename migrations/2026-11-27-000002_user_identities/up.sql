-- OpenID Connect links: an SSO user is keyed by the issuer and the `sub` claim, never by an e-mail
-- address or a name the IdP lets people change.
CREATE TABLE user_identities (
    id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    user_id UUID NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    issuer TEXT NOT NULL CONSTRAINT user_identities_issuer_length
        CHECK (char_length(issuer) BETWEEN 1 AND 2048),
    subject TEXT NOT NULL CONSTRAINT user_identities_subject_length
        CHECK (char_length(subject) BETWEEN 1 AND 255),
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    CONSTRAINT user_identities_issuer_subject_unique UNIQUE (issuer, subject)
);

CREATE INDEX user_identities_user ON user_identities (user_id);
