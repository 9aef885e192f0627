-- Operator console sessions (src/console). Only a SHA-256 of the session id is stored; a session
-- is valid while it has not expired and the key it was opened with (by its hash) is not revoked.
CREATE TABLE console_sessions (
  id_hash     TEXT PRIMARY KEY,
  key_hash    TEXT NOT NULL,
  created_at  INTEGER NOT NULL,
  expires_at  INTEGER NOT NULL
);
CREATE INDEX console_sessions_expiry ON console_sessions (expires_at);

-- Dashboard: messages per day and status, read from the index alone.
CREATE INDEX messages_project_day_status ON messages (project_id, created_at, status);
-- Console pages: a contact's message history, newest first.
CREATE INDEX messages_contact ON messages (project_id, contact_kind, contact_id, id) WHERE contact_id IS NOT NULL;
-- Dashboard: the queue of one project by wait reason (only outbound rows still queued are indexed).
CREATE INDEX messages_project_waiting ON messages (project_id, wait_reason, due_at) WHERE due_at IS NOT NULL AND direction = 'out';
-- Dashboard: recent errors per project by code (only failed rows are indexed): failed recipients
-- are sub-events; a failed message outside an event (a reply, a confirmation) has none.
CREATE INDEX messages_project_errors ON messages (project_id, updated_at, error_code) WHERE error_code IS NOT NULL AND sub_event_id IS NULL;
CREATE INDEX sub_events_project_errors ON sub_events (project_id, updated_at, error_code) WHERE status = 'error';
