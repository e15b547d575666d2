-- Cyphon coordinator schema, version 2: checkpoints, and the CPU time lost for want of one.
-- Portable SQL (H2 2.x and PostgreSQL 12+), like V1: one column per ALTER, DEFAULT before NOT NULL.

-- Per job: how often to ask it for a checkpoint (NULL: only before a vacate), the exit code that
-- means "checkpointed, requeue me" (NULL on jobs submitted before version 2: the default applies),
-- and the CPU-seconds its vacated, lost or unrequested-killed attempts computed past their last
-- stored checkpoint.
ALTER TABLE jobs ADD COLUMN checkpoint_every_seconds BIGINT;
ALTER TABLE jobs ADD COLUMN checkpoint_exit_code INTEGER;
ALTER TABLE jobs ADD COLUMN lost_cpu_seconds DOUBLE PRECISION DEFAULT 0 NOT NULL;

-- The latest CPU-seconds since its last checkpoint an agent reported for a live attempt (heartbeat):
-- what a lease expiry throws away. NULL: the agent never said.
ALTER TABLE attempts ADD COLUMN cpu_since_checkpoint DOUBLE PRECISION;

-- Whether transparent checkpointing with CRIU works on the machine: 'available' or 'unavailable: WHY'.
ALTER TABLE machines ADD COLUMN criu VARCHAR(1000);

-- The one checkpoint kept per job: the archive DATA_DIR/checkpoints/<job_id>/<file_name>, stored by
-- the attempt with this fencing token. The row is the commit point: a file it does not name is
-- garbage (an upload that lost its race, or was cut short by a crash) and is deleted.
CREATE TABLE checkpoints (
    job_id        BIGINT       NOT NULL PRIMARY KEY REFERENCES jobs (id),
    fencing_token BIGINT       NOT NULL,
    attempt_no    INTEGER      NOT NULL,
    file_name     VARCHAR(128) NOT NULL,
    size_bytes    BIGINT       NOT NULL,
    stored_at     BIGINT       NOT NULL
);
