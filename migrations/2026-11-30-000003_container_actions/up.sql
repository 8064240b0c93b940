-- Day-to-day actions on containers (power, destroy, snapshots). Like runs, Postgres is the
-- source of truth and Redis carries only the action id; the worker that leases the job claims
-- the row with its lease token, so two workers never both act.

CREATE TABLE container_actions (
    id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    vmid INTEGER NOT NULL CONSTRAINT container_actions_vmid_range CHECK (vmid BETWEEN 100 AND 999999999),
    node TEXT NOT NULL,
    -- The container's name when the action was asked for (it may be gone afterwards).
    name TEXT NOT NULL,
    kind TEXT NOT NULL CONSTRAINT container_actions_kind_known CHECK (kind IN
        ('start', 'shutdown', 'stop', 'reboot', 'destroy', 'snapshot', 'rollback', 'delete_snapshot')),
    snapshot TEXT,
    description TEXT,
    state TEXT NOT NULL DEFAULT 'queued' CONSTRAINT container_actions_state_known
        CHECK (state IN ('queued', 'running', 'succeeded', 'failed')),
    -- The Proxmox task, saved before waiting on it: a retry waits on the same task instead of
    -- starting a second one.
    upid TEXT,
    error TEXT,
    attempt INTEGER NOT NULL DEFAULT 0,
    claim_token UUID,
    requested_by UUID REFERENCES users (id) ON DELETE RESTRICT,
    requested_by_name TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    finished_at TIMESTAMPTZ,
    CONSTRAINT container_actions_finished_when_final CHECK (
        (state IN ('succeeded', 'failed')) = (finished_at IS NOT NULL)
    )
);

-- One unfinished action per container: Proxmox would refuse the second one with a lock error.
CREATE UNIQUE INDEX container_actions_one_at_a_time ON container_actions (vmid)
    WHERE state IN ('queued', 'running');
CREATE INDEX container_actions_created ON container_actions (created_at DESC);
CREATE INDEX container_actions_vmid ON container_actions (vmid, created_at DESC);
