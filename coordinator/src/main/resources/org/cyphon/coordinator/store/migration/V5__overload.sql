-- Overload mode: one row per period an admin switched on. Portable SQL (H2 2.x, PostgreSQL 12+);
-- times are epoch milliseconds. The current period is the latest one not ended whose until is ahead.
CREATE TABLE overload_periods (
    started_at  BIGINT        NOT NULL PRIMARY KEY,
    until_at    BIGINT        NOT NULL,
    reason      VARCHAR(500)  NOT NULL,
    started_by  VARCHAR(128)  NOT NULL,
    ended_at    BIGINT,
    ended_by    VARCHAR(128)
);
