-- Cyphon coordinator schema, version 3: the rows written for every job touch fewer index entries.
-- Portable SQL (H2 2.x and PostgreSQL 12+), like V1 and V2.
--
-- Why: an UPDATE in H2 removes and re-adds the row in every index of its table, whether the indexed
-- columns changed or not, and each of those entries is written again at commit; a DELETE or an
-- INSERT touches every index once. So what a job costs the store is mostly index entries.

-- 1. Live attempts get a narrow table of their own, keyed by fencing token and nothing else. An
-- attempt is inserted here when assigned, its lease is renewed here by heartbeats, and when it ends
-- it is deleted here and inserted into attempts, which becomes the history of ended attempts. There
-- are only as many live rows as the pool runs at once, so the lease keeper scans them instead of
-- keeping an index on the lease current through every renewal. (No foreign key: H2 would add an
-- index on job_id for it; the history rows keep theirs.)
CREATE TABLE live_attempts (
    fencing_token        BIGINT       NOT NULL PRIMARY KEY,
    job_id               BIGINT       NOT NULL,
    attempt_no           INTEGER      NOT NULL,
    machine              VARCHAR(128) NOT NULL,
    cpu_millis           INTEGER      NOT NULL,
    memory_bytes         BIGINT       NOT NULL,
    started_at           BIGINT       NOT NULL,
    lease_expires_at     BIGINT       NOT NULL,
    acknowledged         BOOLEAN      NOT NULL,  -- an agent heartbeat has listed it (it was delivered)
    stdout_truncated     BOOLEAN      NOT NULL,
    stderr_truncated     BOOLEAN      NOT NULL,
    cpu_since_checkpoint DOUBLE PRECISION
);
INSERT INTO live_attempts (fencing_token, job_id, attempt_no, machine, cpu_millis, memory_bytes, started_at,
                           lease_expires_at, acknowledged, stdout_truncated, stderr_truncated, cpu_since_checkpoint)
    SELECT fencing_token, job_id, attempt_no, machine, cpu_millis, memory_bytes, started_at,
           lease_expires_at, acknowledged, stdout_truncated, stderr_truncated, cpu_since_checkpoint
    FROM attempts WHERE lease_expires_at IS NOT NULL;
DELETE FROM attempts WHERE lease_expires_at IS NOT NULL;
DROP INDEX attempts_by_lease;
ALTER TABLE attempts DROP COLUMN lease_expires_at;

-- 2. A job row is updated when it is assigned and when it ends, so every index on jobs costs each
-- job four entries. These two served only listings filtered by owner or machine. Such a listing of
-- unfinished jobs (the default) finds them through jobs_by_state, which stays; with --all it asks
-- for the newest first, which H2 cannot read from an index, so it read and sorted every job of that
-- owner or machine anyway, and now reads the whole table: a cost paid per listing, not per job.
DROP INDEX jobs_by_owner;
DROP INDEX jobs_by_machine;
