-- Provisioning runs and their events. Postgres is the source of truth: Redis carries only the
-- run id (the job), and a reconciler re-enqueues `queued` runs that have no live job.

CREATE TABLE runs (
    id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    -- The exact template version the run installs: a version is immutable, so a retry months
    -- later still does what the operator reviewed.
    template_version_id UUID NOT NULL REFERENCES template_versions (id) ON DELETE RESTRICT,
    template_name TEXT NOT NULL,
    template_version INTEGER NOT NULL,
    -- Copied out of the spec for lists and filters.
    hostname TEXT NOT NULL CONSTRAINT runs_hostname_length CHECK (char_length(hostname) BETWEEN 1 AND 253),
    -- berth-domain's ContainerSpec as JSON, without any plain password (see `secrets`).
    spec JSONB NOT NULL CONSTRAINT runs_spec_object CHECK (jsonb_typeof(spec) = 'object'),
    -- Secret material the pipeline needs later, only in a form safe to keep (e.g. a crypt(3)
    -- hash of the root password for chpasswd -e); never a plain password.
    secrets JSONB NOT NULL DEFAULT '{}'::jsonb,
    state TEXT NOT NULL DEFAULT 'queued' CONSTRAINT runs_state_known
        CHECK (state IN ('queued', 'running', 'succeeded', 'failed', 'cancelled')),
    -- The stage running now, or the one that failed.
    stage TEXT,
    -- How many times a worker has started the run (Postgres keeps its own count: Redis may lose it).
    attempt INTEGER NOT NULL DEFAULT 0 CONSTRAINT runs_attempt_non_negative CHECK (attempt >= 0),
    -- What the stages have done so far (VMID, node, task UPIDs, addresses…): a retry observes
    -- Proxmox from here instead of acting twice.
    checkpoint JSONB NOT NULL DEFAULT '{}'::jsonb
        CONSTRAINT runs_checkpoint_object CHECK (jsonb_typeof(checkpoint) = 'object'),
    -- The VMID the run reserved; unique among unfinished runs (below).
    vmid INTEGER CONSTRAINT runs_vmid_range CHECK (vmid BETWEEN 100 AND 999999999),
    node TEXT,
    error TEXT,
    cancel_requested BOOLEAN NOT NULL DEFAULT false,
    -- The worker lease that may write: a write carries the token, so a worker whose lease was
    -- taken over cannot change the run any more.
    claim_token UUID,
    claimed_by TEXT,
    -- Per-run event counter, so events are numbered without races.
    event_seq BIGINT NOT NULL DEFAULT 0,
    requested_by UUID REFERENCES users (id) ON DELETE RESTRICT,
    requested_by_name TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    started_at TIMESTAMPTZ,
    finished_at TIMESTAMPTZ,
    updated_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    CONSTRAINT runs_finished_when_final CHECK (
        (state IN ('succeeded', 'failed', 'cancelled')) = (finished_at IS NOT NULL)
    )
);

-- Two unfinished runs never reserve the same VMID (Proxmox is asked too, for containers made
-- outside Berth).
CREATE UNIQUE INDEX runs_vmid_reserved ON runs (vmid)
    WHERE vmid IS NOT NULL AND state IN ('queued', 'running');
CREATE INDEX runs_state_created ON runs (state, created_at DESC);
CREATE INDEX runs_created ON runs (created_at DESC);
CREATE INDEX runs_template ON runs (template_name, created_at DESC);

CREATE TABLE run_events (
    run_id UUID NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
    seq BIGINT NOT NULL CONSTRAINT run_events_seq_positive CHECK (seq >= 1),
    at TIMESTAMPTZ NOT NULL DEFAULT now(),
    -- berth-domain's RunEvent as JSON (stage started/finished, log line, progress, state).
    event JSONB NOT NULL CONSTRAINT run_events_event_object CHECK (jsonb_typeof(event) = 'object'),
    PRIMARY KEY (run_id, seq)
);
