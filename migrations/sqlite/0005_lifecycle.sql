-- Every object's whole life (issue 15).
--
-- 1. A queued message can be cancelled: status 'cancelled' (SPEC 6). SQLite cannot change a
--    CHECK constraint in place (and better-sqlite3 runs in defensive mode, so sqlite_master is
--    read-only), so the messages table is rebuilt with the same columns and indexes. Its only
--    child, message_attempts, is emptied into a copy and refilled, so dropping the old table
--    breaks no foreign key while the migration's transaction holds foreign keys on.
--    Keep this list of columns and indexes in step with every earlier migration that touches
--    messages.
CREATE TABLE message_attempts_0005 AS SELECT * FROM message_attempts;
DELETE FROM message_attempts;

CREATE TABLE messages_0005 (
  id                   INTEGER PRIMARY KEY AUTOINCREMENT,
  project_id           TEXT,
  event_id             INTEGER,
  sub_event_id         INTEGER,
  direction            TEXT NOT NULL CHECK (direction IN ('out', 'in')),
  channel              TEXT NOT NULL CHECK (channel IN ('sms', 'email')),
  contact_kind         TEXT,
  contact_id           TEXT,
  phone                TEXT,
  email                TEXT,
  gateway_id           TEXT,
  subject              TEXT,
  text                 TEXT NOT NULL,
  segments             INTEGER,
  status               TEXT NOT NULL CHECK (status IN ('queued', 'sent', 'delivered', 'received', 'error', 'cancelled')),
  error_code           TEXT,
  error_text           TEXT,
  attempts             INTEGER NOT NULL DEFAULT 0,
  kind                 TEXT NOT NULL DEFAULT 'message',
  reply_to             INTEGER,
  due_at               INTEGER,
  wait_reason          TEXT,
  lease_owner          TEXT,
  lease_until          INTEGER,
  idempotency_key      TEXT NOT NULL,
  provider_message_id  TEXT,
  outcome              TEXT,
  created_at           INTEGER NOT NULL,
  sent_at              INTEGER,
  delivered_at         INTEGER,
  updated_at           INTEGER NOT NULL
);
INSERT INTO messages_0005 SELECT * FROM messages;
-- AUTOINCREMENT goes on from the old table's last id (even a deleted one): ids are never reused.
DELETE FROM sqlite_sequence WHERE name = 'messages_0005';
INSERT INTO sqlite_sequence (name, seq) SELECT 'messages_0005', seq FROM sqlite_sequence WHERE name = 'messages';
DROP TABLE messages;
ALTER TABLE messages_0005 RENAME TO messages;

INSERT INTO message_attempts SELECT * FROM message_attempts_0005;
DROP TABLE message_attempts_0005;

CREATE INDEX messages_due ON messages (due_at, id) WHERE due_at IS NOT NULL;
CREATE INDEX messages_project_created ON messages (project_id, created_at, id);
CREATE INDEX messages_phone ON messages (phone, created_at);
CREATE INDEX messages_sub_event ON messages (sub_event_id) WHERE sub_event_id IS NOT NULL;
CREATE INDEX messages_provider_id ON messages (gateway_id, provider_message_id) WHERE provider_message_id IS NOT NULL;
CREATE UNIQUE INDEX messages_idempotency ON messages (idempotency_key);
CREATE INDEX messages_project_day_status ON messages (project_id, created_at, status);
CREATE INDEX messages_contact ON messages (project_id, contact_kind, contact_id, id) WHERE contact_id IS NOT NULL;
CREATE INDEX messages_project_waiting ON messages (project_id, wait_reason, due_at) WHERE due_at IS NOT NULL AND direction = 'out';
CREATE INDEX messages_project_errors ON messages (project_id, updated_at, error_code) WHERE error_code IS NOT NULL AND sub_event_id IS NULL;
-- From 0004: WhatsApp's 24-hour session, the last message a number sent through a gateway.
CREATE INDEX messages_inbound_by_gateway ON messages (gateway_id, phone, created_at) WHERE direction = 'in';

-- 2. The inbox (SPEC 5 step 1, 7): a project's inbound messages newest first (project_id NULL:
--    the administrator's, from global gateways), and the replies to each.
CREATE INDEX messages_inbound ON messages (project_id, id) WHERE direction = 'in';
CREATE INDEX messages_reply_to ON messages (reply_to) WHERE reply_to IS NOT NULL;

-- 3. A global gateway's own default_country reads national sender numbers (SPEC 5 step 1).
ALTER TABLE gateways ADD COLUMN default_country TEXT;
