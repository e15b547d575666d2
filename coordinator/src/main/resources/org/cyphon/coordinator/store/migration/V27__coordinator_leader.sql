-- Several coordinators on one database: one row saying which of them runs the scheduling loop and
-- the lease keeper (holder, until expires_at; renewed by the holder), with a fencing epoch every
-- write of that work checks; and one row per coordinator process, for `cyphon coordinators`.
-- Portable SQL (H2 2.x, PostgreSQL 12+); times are epoch milliseconds.
CREATE TABLE coordinator_leader (
    id          INT           NOT NULL PRIMARY KEY,
    holder      VARCHAR(300)  NOT NULL,
    epoch       BIGINT        NOT NULL,
    since_at    BIGINT        NOT NULL,
    expires_at  BIGINT        NOT NULL
);
INSERT INTO coordinator_leader (id, holder, epoch, since_at, expires_at) VALUES (1, '', 0, 0, 0);

CREATE TABLE coordinators (
    id          VARCHAR(300)  NOT NULL PRIMARY KEY,
    url         VARCHAR(500)  NOT NULL,
    started_at  BIGINT        NOT NULL,
    last_seen   BIGINT        NOT NULL
);
