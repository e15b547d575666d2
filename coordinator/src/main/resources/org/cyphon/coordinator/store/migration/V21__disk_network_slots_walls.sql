-- Cyphon coordinator schema, version 21: jobs' disk and network requests, and what desks say of
-- their job slots, free disk and walls (issue 12 items 1-3). Portable SQL (H2 2.x and
-- PostgreSQL 12+), like V1.

-- The job's --disk in bytes: how much its work directory may hold, and the free disk a desk must
-- have to be given it. NULL: not asked (the agent's default limit, no placement condition).
ALTER TABLE jobs ADD COLUMN disk_bytes BIGINT;
-- The job's --network: 'host' or 'none'. NULL: host (jobs submitted before version 21).
ALTER TABLE jobs ADD COLUMN network VARCHAR(8);

-- The desk's sandbox.max_jobs: placement never has more live attempts there. NULL: not said.
ALTER TABLE machines ADD COLUMN max_jobs INTEGER;
-- Bytes free for jobs' work directories at its last heartbeat (see Heartbeat.diskFreeBytes). NULL: not said.
ALTER TABLE machines ADD COLUMN disk_free_bytes BIGINT;
-- Each wall around its jobs, built or not and why: a JSON list of {name, built, detail}. NULL: not said.
ALTER TABLE machines ADD COLUMN walls VARCHAR(100000);
