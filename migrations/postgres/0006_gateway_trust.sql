-- Who saved a gateway (SPEC 3.6 "Outbound address guard"): 1 when the admin key (or the
-- operator's own tools) last saved it, so its addresses may be private; 0 when a project key
-- did, so its addresses are checked at save and at every connection. A global gateway only
-- the admin key can have saved; a project's existing gateways are checked from now on (the
-- admin key re-saves one to trust it, or CASELINE_ALLOW_PRIVATE_GATEWAYS=true lifts the guard).
ALTER TABLE gateways ADD COLUMN trusted SMALLINT NOT NULL DEFAULT 0;
UPDATE gateways SET trusted = 1 WHERE owner = '';
