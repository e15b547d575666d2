-- Cyphon coordinator schema, version 24: the desk audit log takes the agents' desk events (issue 13).
-- Portable SQL (H2 2.x and PostgreSQL 12+).

-- What changed a desk VM without an administrator's desk action is recorded too: the agent's desk
-- keeper (role 'keeper': its pause, save, restore, resume, a cap, a hold that ended), the VM itself
-- (role 'vm': it failed or shut down), the owner at the desk (role 'owner': claim, away, back).
-- Each comes with the agent's own id for it (origin), so an event the agent sends again after a lost
-- answer is recorded once. Administrators' actions have no origin.
ALTER TABLE desk_audit ADD COLUMN origin VARCHAR(64);
CREATE UNIQUE INDEX desk_audit_by_origin ON desk_audit (machine, origin);
