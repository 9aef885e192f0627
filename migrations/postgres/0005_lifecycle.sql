-- Every object's whole life (issue 15).

-- 1. A queued message can be cancelled: status 'cancelled' (SPEC 6).
ALTER TABLE messages DROP CONSTRAINT messages_status_check;
ALTER TABLE messages ADD CONSTRAINT messages_status_check
  CHECK (status IN ('queued', 'sent', 'delivered', 'received', 'error', 'cancelled'));

-- 2. The inbox (SPEC 5 step 1, 7): a project's inbound messages newest first (project_id NULL:
--    the administrator's, from global gateways), and the replies to each.
CREATE INDEX messages_inbound ON messages (project_id, id) WHERE direction = 'in';
CREATE INDEX messages_reply_to ON messages (reply_to) WHERE reply_to IS NOT NULL;

-- 3. A global gateway's own default_country reads national sender numbers (SPEC 5 step 1).
ALTER TABLE gateways ADD COLUMN default_country TEXT;
