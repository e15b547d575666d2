-- Cyphon coordinator schema, version 20: jobs' secret variables (issue 11, job privacy).
-- Portable SQL (H2 2.x and PostgreSQL 12+), like V1.

-- The job's secretEnv as a JSON object: each variable's name in clear (every view lists the names),
-- each value sealed with AES-256-GCM under DATA_DIR/secrets.key ("v1.<base64url>", bound to the job
-- and the name), so the database never holds a secret value in clear. NULL: no secret variables.
ALTER TABLE jobs ADD COLUMN secret_env VARCHAR(1000000);
