-- Operator console sessions (src/console). Only a SHA-256 of the session id is stored; a session
-- is valid while it has not expired and the key it was opened with (by its hash) is not revoked.
CREATE TABLE console_sessions (
  id_hash     TEXT PRIMARY KEY,
  key_hash    TEXT NOT NULL,
  created_at  BIGINT NOT NULL,
  expires_at  BIGINT NOT NULL
);
CREATE INDEX console_sessions_expiry ON console_sessions (expires_at);

-- Console pages: a contact's message history, newest first.
CREATE INDEX messages_contact ON messages (project_id, contact_kind, contact_id, id) WHERE contact_id IS NOT NULL;
-- Dashboard: the queue of one project by wait reason (only rows still queued are indexed).
CREATE INDEX messages_project_waiting ON messages (project_id, wait_reason) WHERE due_at IS NOT NULL;
-- Dashboard: recent errors per project (only failed rows are indexed).
CREATE INDEX messages_project_errors ON messages (project_id, updated_at) WHERE error_code IS NOT NULL;
CREATE INDEX sub_events_project_errors ON sub_events (project_id, updated_at) WHERE status = 'error';
