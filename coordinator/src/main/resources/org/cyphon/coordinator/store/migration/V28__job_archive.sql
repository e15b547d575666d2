-- Cyphon coordinator schema, version 28: the archive of old job history (issue 15 item 3).
-- Portable SQL (H2 2.x and PostgreSQL 12+), like V1.
--
-- A job that finished longer ago than jobs.history_retention (default 30 days) moves, with its
-- ended attempts and its events, from jobs/attempts/events to these tables, in one transaction
-- per batch (ArchiveOldJobs). Why: what a coordinator does per heartbeat, per scheduling pass or
-- per `cyphon q` should cost what the running and waiting jobs cost, not what every job ever
-- submitted costs; a year of a busy pool is tens of millions of rows whose index entries every
-- write to those tables walks past. Archived jobs stay readable (`cyphon job ID`, its events, its
-- logs and outputs); listings (`cyphon q --all`) show the jobs table only.
--
-- The archive tables have the same columns, in the same order, as their tables (CREATE TABLE AS
-- ... WITH NO DATA copies them), so a row moves with INSERT ... SELECT *. A later migration that
-- adds a column to jobs, attempts or events must add it here too (ArchiveOldJobsTest fails if not).
CREATE TABLE jobs_archive AS SELECT * FROM jobs WITH NO DATA;
ALTER TABLE jobs_archive ALTER COLUMN id SET NOT NULL;
ALTER TABLE jobs_archive ADD PRIMARY KEY (id);

CREATE TABLE attempts_archive AS SELECT * FROM attempts WITH NO DATA;
ALTER TABLE attempts_archive ALTER COLUMN fencing_token SET NOT NULL;
ALTER TABLE attempts_archive ADD PRIMARY KEY (fencing_token);
CREATE INDEX attempts_archive_by_job ON attempts_archive (job_id, attempt_no);

CREATE TABLE events_archive AS SELECT * FROM events WITH NO DATA;
ALTER TABLE events_archive ALTER COLUMN id SET NOT NULL;
ALTER TABLE events_archive ADD PRIMARY KEY (id);
CREATE INDEX events_archive_by_job ON events_archive (job_id, id);

-- The listing of the newest jobs in a state (`cyphon q`) reads this index from its newest entry:
-- H2 2.2 reads an index in its own order only, so with (state, id) it read every job in the state
-- and sorted them (0.5 s per listing with a million queued). Descending ids make the newest first.
DROP INDEX jobs_by_state;
CREATE INDEX jobs_by_state ON jobs (state, id DESC);
