-- The audit trail: one row per mutation (and per sign-in attempt), written in the same transaction
-- as the change where there is one. The table is APPEND-ONLY: the triggers below refuse UPDATE,
-- DELETE and TRUNCATE. (A superuser or the table owner can still drop the triggers; the trail
-- protects against the application and its bugs, not against the database administrator.)
--
-- actor_user_id references users WITHOUT any ON DELETE action: a cascade or SET NULL would have to
-- rewrite history (and the trigger would refuse it anyway). Users are disabled, never deleted; an
-- attempt to delete a user who appears here fails on the foreign key. actor_name keeps the display
-- name at the time of the action, so renames do not change the past.
CREATE TABLE audit_log (
    id BIGSERIAL PRIMARY KEY,
    at TIMESTAMPTZ NOT NULL DEFAULT now(),
    actor_user_id UUID REFERENCES users (id) ON DELETE RESTRICT,
    actor_name TEXT NOT NULL CONSTRAINT audit_log_actor_name_length
        CHECK (char_length(actor_name) BETWEEN 1 AND 200),
    -- `login`, `login_failed`, `logout`, `user.create`, `container.create`, ...
    action TEXT NOT NULL CONSTRAINT audit_log_action_format
        CHECK (action ~ '^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)*$' AND char_length(action) <= 64),
    target_type TEXT CONSTRAINT audit_log_target_type_length
        CHECK (target_type IS NULL OR char_length(target_type) BETWEEN 1 AND 64),
    target_id TEXT CONSTRAINT audit_log_target_id_length
        CHECK (target_id IS NULL OR char_length(target_id) BETWEEN 1 AND 256),
    source_ip INET,
    outcome TEXT NOT NULL CONSTRAINT audit_log_outcome_known
        CHECK (outcome IN ('success', 'failure', 'denied')),
    -- The request id or the worker run id that ties entries (and logs) together.
    correlation_id TEXT CONSTRAINT audit_log_correlation_id_length
        CHECK (correlation_id IS NULL OR char_length(correlation_id) BETWEEN 1 AND 128),
    details JSONB NOT NULL DEFAULT '{}' CONSTRAINT audit_log_details_object
        CHECK (jsonb_typeof(details) = 'object' AND octet_length(details::text) <= 65536)
);

-- The filters of the Audit page; every list is ordered newest first by id.
CREATE INDEX audit_log_at ON audit_log (at);
CREATE INDEX audit_log_actor ON audit_log (actor_user_id, id) WHERE actor_user_id IS NOT NULL;
CREATE INDEX audit_log_action ON audit_log (action text_pattern_ops, id);
CREATE INDEX audit_log_target ON audit_log (target_type, target_id, id);
CREATE INDEX audit_log_correlation ON audit_log (correlation_id) WHERE correlation_id IS NOT NULL;

CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit_log is append-only'
        USING DETAIL = format('%s on audit_log is not allowed', TG_OP),
              HINT = 'Audit entries are never changed or removed; write a new entry instead.';
END;
$$;

CREATE TRIGGER audit_log_no_update_or_delete
    BEFORE UPDATE OR DELETE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();

CREATE TRIGGER audit_log_no_truncate
    BEFORE TRUNCATE ON audit_log
    FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only();
