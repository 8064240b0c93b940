-- Every berth-worker process registers here and refreshes its heartbeat while it runs.
-- Readiness reports the age of the newest heartbeat; an admin page can list who is alive.
CREATE TABLE workers (
    id UUID PRIMARY KEY,
    name TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    hostname TEXT NOT NULL,
    pid INTEGER NOT NULL,
    version TEXT NOT NULL,
    started_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    heartbeat_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    -- Set by a graceful shutdown; a crashed worker simply stops heartbeating.
    stopped_at TIMESTAMPTZ
);

CREATE INDEX workers_live_heartbeat ON workers (heartbeat_at DESC) WHERE stopped_at IS NULL;
