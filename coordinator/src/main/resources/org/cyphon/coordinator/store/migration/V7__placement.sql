-- Cyphon coordinator schema, version 7: labels, requirements and fair share (issue 5, placement).
-- Portable SQL (H2 2.x and PostgreSQL 12+), like V1: one column per ALTER; times are epoch milliseconds.

-- The labels a job requires of a machine, as a JSON object of strings (NULL: none).
ALTER TABLE jobs ADD COLUMN requires VARCHAR(4000);

-- A machine's labels: what its agent reports in each heartbeat (os, arch, gpu, agent.toml's
-- [labels]), and what admins set, which override the agent's. JSON objects of strings.
ALTER TABLE machines ADD COLUMN agent_labels VARCHAR(4000);
ALTER TABLE machines ADD COLUMN admin_labels VARCHAR(4000);

-- Fair share: each submitter's usage in CPU-seconds as of a time; read back, it is decayed with the
-- configured half-life from as_of to now. Written by the scheduler about once a minute and at stop.
CREATE TABLE fair_share (
    owner       VARCHAR(128)     NOT NULL PRIMARY KEY,
    cpu_seconds DOUBLE PRECISION NOT NULL,
    as_of       BIGINT           NOT NULL
);
