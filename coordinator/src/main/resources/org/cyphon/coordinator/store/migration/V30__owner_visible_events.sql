-- Cyphon coordinator schema, version 30: owner-visible events (issue 16, the Harvest page).
-- Portable SQL (H2 2.x and PostgreSQL 12+).
--
-- One row per job that an agent measured slow to yield when its desk's owner came back: longer than
-- the yield bound (50 ms, core's OwnerVisibleEvent.BOUND) from the owner's input to the job frozen
-- or capped. The agent sends each with its heartbeats until one is answered, so the same event may
-- come twice: the primary key records it once. The Harvest page counts them per day of input_at.
CREATE TABLE owner_visible_events (
    machine     VARCHAR(255) NOT NULL,
    input_at    BIGINT       NOT NULL,
    job_id      BIGINT       NOT NULL,
    attempt_no  INT          NOT NULL,
    yielded_at  BIGINT       NOT NULL,
    recorded_at BIGINT       NOT NULL,
    PRIMARY KEY (machine, input_at, job_id, attempt_no)
);
CREATE INDEX owner_visible_events_by_time ON owner_visible_events (input_at);
