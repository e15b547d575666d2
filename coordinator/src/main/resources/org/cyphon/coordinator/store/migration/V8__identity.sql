-- Cyphon coordinator schema, version 8: who may join the pool and who a desk is (issue 11 §2).
-- Portable SQL (H2 2.x and PostgreSQL 12+), like V1: one column per ALTER, DEFAULT before NOT NULL.

-- Tokens may expire (NULL: never). A rotated agent credential is stored pending until its agent
-- first uses it: that use retires the old credential, so a reply lost on the way costs nothing.
ALTER TABLE tokens ADD COLUMN expires_at BIGINT;
ALTER TABLE tokens ADD COLUMN pending BOOLEAN DEFAULT FALSE NOT NULL;

-- Join secrets (cyphon join-token): only the SHA-256 of each secret is kept. Each enrollment with
-- one uses it once, in the enrollment's own transaction; machines lists the names that joined with
-- it (comma-separated, oldest first).
CREATE TABLE join_secrets (
    name        VARCHAR(64)   NOT NULL PRIMARY KEY,
    secret_hash VARCHAR(64)   NOT NULL,
    created_by  VARCHAR(128)  NOT NULL,
    created_at  BIGINT        NOT NULL,
    expires_at  BIGINT        NOT NULL,
    uses        INTEGER       NOT NULL,
    uses_left   INTEGER       NOT NULL,
    revoked_at  BIGINT,
    machines    VARCHAR(4000) NOT NULL
);
CREATE UNIQUE INDEX join_secrets_by_hash ON join_secrets (secret_hash);

-- A machine's identity: waiting for an admin's approval (join.approve), what its agent measured at
-- enrollment (JSON MeasuredResources; NULL: it sent none), the join secret it joined with, and
-- whether an admin asked for its credential to be rotated (done at its next heartbeat).
ALTER TABLE machines ADD COLUMN pending BOOLEAN DEFAULT FALSE NOT NULL;
ALTER TABLE machines ADD COLUMN measured VARCHAR(4000);
ALTER TABLE machines ADD COLUMN joined_with VARCHAR(64);
ALTER TABLE machines ADD COLUMN rotate_credential BOOLEAN DEFAULT FALSE NOT NULL;
