-- Cyphon coordinator schema, version 10: job dependencies (issue 12 item 6, --after / --after-any).
-- Portable SQL (H2 2.x and PostgreSQL 12+), like V1.
--
-- One row per (job, job it runs after). Jobs with rows here wait in state WAITING, which the
-- scheduler never loads, so a waiting job costs a scheduling pass nothing. When a job ends, its
-- dependents are found through job_deps_by_after: one index lookup per ending, not a scan.
-- Rows are kept after the dependency is met: they are what "cyphon job" shows the job ran after.
CREATE TABLE job_deps (
    job_id   BIGINT  NOT NULL,
    after_id BIGINT  NOT NULL,
    any_end  BOOLEAN NOT NULL,  -- TRUE: any end will do (--after-any); FALSE: exit code 0 required (--after)
    PRIMARY KEY (job_id, after_id)
);
CREATE INDEX job_deps_by_after ON job_deps (after_id);
