-- Cyphon coordinator schema, version 22: jobs' input and output files (issue 12 item 4).
-- Portable SQL (H2 2.x and PostgreSQL 12+), like V1.
--
-- File contents ("blobs") are stored once each, named by their SHA-256, in DATA_DIR/files/blobs
-- (0600 files in 0700 directories). A row here is the commit point: a content is in the store
-- only once it was received whole, its hash checked and the file renamed into place; uploads in
-- progress live in DATA_DIR/files/uploads and are never named by a row.

-- The job's files as submitted: JSON {"inputs": [...], "outputs": [...], "needsPaths": [...]}
-- (core JobFiles). NULL: none.
ALTER TABLE jobs ADD COLUMN files VARCHAR(1000000);

-- One row per content held. used_at: its last upload, query or submit naming it; a content no
-- unfinished job's inputs and no job's outputs name is deleted once files.unused_grace has passed
-- since then, so a client that uploaded and has not submitted yet does not lose it.
CREATE TABLE blobs (
    sha256     VARCHAR(64) NOT NULL PRIMARY KEY,
    size_bytes BIGINT      NOT NULL,
    stored_at  BIGINT      NOT NULL,
    used_at    BIGINT      NOT NULL
);

-- Who may use a content: the users who uploaded it (or whose jobs left it as an output). Another
-- user holding only its hash cannot name it in a job, nor learn that it is here: to use it they
-- upload it too (stored once all the same). The proof of possession is the upload itself.
CREATE TABLE blob_owners (
    sha256 VARCHAR(64)  NOT NULL,
    owner  VARCHAR(128) NOT NULL,
    PRIMARY KEY (sha256, owner)
);

-- The uploaded inputs each job names (links to shared storage are not here): what keeps a content
-- from being collected while a job that will read it has not ended.
CREATE TABLE job_inputs (
    job_id BIGINT      NOT NULL,
    sha256 VARCHAR(64) NOT NULL,
    PRIMARY KEY (job_id, sha256)
);
CREATE INDEX job_inputs_by_blob ON job_inputs (sha256);

-- Each job's output files, the latest version of each name, from whichever attempt stored it last
-- (at a checkpoint or at the end): a vacated attempt's partial results stay until a later attempt
-- replaces them.
CREATE TABLE job_outputs (
    job_id     BIGINT        NOT NULL,
    name       VARCHAR(1024) NOT NULL,
    sha256     VARCHAR(64)   NOT NULL,
    size_bytes BIGINT        NOT NULL,
    attempt_no INTEGER       NOT NULL,
    stored_at  BIGINT        NOT NULL,
    PRIMARY KEY (job_id, name)
);
CREATE INDEX job_outputs_by_blob ON job_outputs (sha256);
