-- Cyphon coordinator schema, version 23: GPU jobs (issue 12, item 7).
-- Portable SQL (H2 2.x and PostgreSQL 12+), like V1.

-- Whole GPUs a job needs on its desk (cyphon submit --gpus N); 0 for every job submitted before.
ALTER TABLE jobs ADD COLUMN gpus INT DEFAULT 0 NOT NULL;

-- The GPUs an attempt holds on its machine, so the scheduler counts a desk's free GPUs the way it
-- counts its free CPUs and memory: from its live attempts. Kept in the history too.
ALTER TABLE live_attempts ADD COLUMN gpus INT DEFAULT 0 NOT NULL;
ALTER TABLE attempts ADD COLUMN gpus INT DEFAULT 0 NOT NULL;

-- The machine's GPUs as its agent last reported them (JSON array of GpuView: index, uuid, name,
-- memory, utilisation, the job it is assigned to). NULL: none.
ALTER TABLE machines ADD COLUMN gpus VARCHAR(100000);
