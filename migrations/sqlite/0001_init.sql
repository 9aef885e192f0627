-- caseline schema, SQLite dialect. Instants are epoch milliseconds (INTEGER), flags are
-- INTEGER 0/1 and structured values are JSON text, so both dialects return the same shapes.

CREATE TABLE projects (
  id          TEXT PRIMARY KEY,
  settings    TEXT NOT NULL DEFAULT '{}',
  created_at  INTEGER NOT NULL,
  updated_at  INTEGER NOT NULL
);

CREATE TABLE cases (
  project_id          TEXT NOT NULL REFERENCES projects(id),
  id                  TEXT NOT NULL,
  type                TEXT NOT NULL,
  name                TEXT,
  owner_id            TEXT,
  closed              INTEGER NOT NULL DEFAULT 0,
  deleted             INTEGER NOT NULL DEFAULT 0,
  properties          TEXT NOT NULL DEFAULT '{}',
  server_modified_on  INTEGER NOT NULL,
  created_at          INTEGER NOT NULL,
  updated_at          INTEGER NOT NULL,
  PRIMARY KEY (project_id, id)
);
-- Alert processing walks the open cases of one type.
CREATE INDEX cases_open_by_type ON cases (project_id, type, id) WHERE closed = 0 AND deleted = 0;
CREATE INDEX cases_owner ON cases (project_id, owner_id);

CREATE TABLE mobile_workers (
  project_id     TEXT NOT NULL REFERENCES projects(id),
  id             TEXT NOT NULL,
  username       TEXT,
  name           TEXT,
  phone_numbers  TEXT NOT NULL DEFAULT '[]',
  email          TEXT,
  language       TEXT,
  time_zone      TEXT,
  active         INTEGER NOT NULL DEFAULT 1,
  created_at     INTEGER NOT NULL,
  updated_at     INTEGER NOT NULL,
  PRIMARY KEY (project_id, id)
);
CREATE UNIQUE INDEX mobile_workers_username ON mobile_workers (project_id, username) WHERE username IS NOT NULL;

-- Groups of cases or of mobile workers, as broadcast recipients and case owners.
CREATE TABLE contact_groups (
  project_id  TEXT NOT NULL REFERENCES projects(id),
  id          TEXT NOT NULL,
  kind        TEXT NOT NULL CHECK (kind IN ('case', 'mobile_worker')),
  name        TEXT,
  created_at  INTEGER NOT NULL,
  PRIMARY KEY (project_id, id)
);
CREATE TABLE contact_group_members (
  project_id  TEXT NOT NULL,
  group_id    TEXT NOT NULL,
  member_id   TEXT NOT NULL,
  PRIMARY KEY (project_id, group_id, member_id)
);

-- The global phone registry (SPEC 2.2). state: one_way; waiting (a case's verified claim
-- while another contact owns the number); pending (a worker's verification in progress);
-- two_way. The owner of a number is its one entry in state pending or two_way.
CREATE TABLE phone_entries (
  id                       INTEGER PRIMARY KEY AUTOINCREMENT,
  number                   TEXT NOT NULL,
  project_id               TEXT NOT NULL,
  contact_kind             TEXT NOT NULL CHECK (contact_kind IN ('case', 'mobile_worker')),
  contact_id               TEXT NOT NULL,
  state                    TEXT NOT NULL CHECK (state IN ('one_way', 'waiting', 'pending', 'two_way')),
  claimed_at               INTEGER,
  verification_expires_at  INTEGER,
  created_at               INTEGER NOT NULL,
  updated_at               INTEGER NOT NULL
);
CREATE UNIQUE INDEX phone_entries_one_owner ON phone_entries (number) WHERE state IN ('pending', 'two_way');
CREATE UNIQUE INDEX phone_entries_contact ON phone_entries (project_id, contact_kind, contact_id, number);
CREATE INDEX phone_entries_number ON phone_entries (number);
CREATE INDEX phone_entries_waiting ON phone_entries (number, claimed_at, project_id, contact_id) WHERE state = 'waiting';
CREATE INDEX phone_entries_verification_due ON phone_entries (verification_expires_at) WHERE state = 'pending';

CREATE TABLE gateways (
  id                     TEXT PRIMARY KEY,
  name                   TEXT NOT NULL,
  name_key               TEXT NOT NULL,
  owner                  TEXT NOT NULL DEFAULT '',
  type                   TEXT NOT NULL,
  config                 TEXT NOT NULL DEFAULT '{}',
  is_default             INTEGER NOT NULL DEFAULT 0,
  rate_limit_per_minute  INTEGER,
  max_attempts           INTEGER NOT NULL DEFAULT 3,
  retry_minutes          REAL NOT NULL DEFAULT 5,
  opt_out_keywords       TEXT,
  opt_in_keywords        TEXT,
  inbound_secret         TEXT,
  created_at             INTEGER NOT NULL,
  updated_at             INTEGER NOT NULL
);
-- owner '' is global; a name and the default are unique per owner.
CREATE UNIQUE INDEX gateways_name ON gateways (owner, name_key);
CREATE UNIQUE INDEX gateways_default ON gateways (owner) WHERE is_default = 1;

CREATE TABLE gateway_prefixes (
  owner       TEXT NOT NULL,
  prefix      TEXT NOT NULL,
  gateway_id  TEXT NOT NULL REFERENCES gateways(id) ON DELETE CASCADE,
  PRIMARY KEY (owner, prefix)
);
CREATE INDEX gateway_prefixes_gateway ON gateway_prefixes (gateway_id);

CREATE TABLE gateway_shares (
  gateway_id  TEXT NOT NULL REFERENCES gateways(id) ON DELETE CASCADE,
  project_id  TEXT NOT NULL,
  PRIMARY KEY (gateway_id, project_id)
);

-- One messaging action (an API send, a broadcast or alert firing, a keyword, a verification).
CREATE TABLE events (
  id          INTEGER PRIMARY KEY AUTOINCREMENT,
  project_id  TEXT,
  source      TEXT NOT NULL,
  source_id   TEXT,
  channel     TEXT NOT NULL,
  content     TEXT NOT NULL DEFAULT '{}',
  status      TEXT NOT NULL CHECK (status IN ('in_progress', 'completed', 'error')),
  created_at  INTEGER NOT NULL,
  updated_at  INTEGER NOT NULL
);
CREATE INDEX events_project ON events (project_id, created_at);

CREATE TABLE sub_events (
  id              INTEGER PRIMARY KEY AUTOINCREMENT,
  event_id        INTEGER NOT NULL REFERENCES events(id),
  project_id      TEXT,
  recipient_kind  TEXT NOT NULL,
  recipient_id    TEXT NOT NULL,
  status          TEXT NOT NULL CHECK (status IN ('in_progress', 'completed', 'error')),
  error_code      TEXT,
  error_text      TEXT,
  created_at      INTEGER NOT NULL,
  updated_at      INTEGER NOT NULL
);
-- An event's status asks whether any sub-event is in error or still in progress.
CREATE INDEX sub_events_event ON sub_events (event_id, status);
CREATE INDEX sub_events_recipient ON sub_events (project_id, recipient_kind, recipient_id);

-- Every SMS and e-mail, both directions. An outbound row is the durable queue entry:
-- due_at is when the queue next looks at it (NULL once final).
CREATE TABLE messages (
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
  status               TEXT NOT NULL CHECK (status IN ('queued', 'sent', 'delivered', 'received', 'error')),
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
CREATE INDEX messages_due ON messages (due_at, id) WHERE due_at IS NOT NULL;
CREATE INDEX messages_project_created ON messages (project_id, created_at, id);
CREATE INDEX messages_phone ON messages (phone, created_at);
CREATE INDEX messages_sub_event ON messages (sub_event_id) WHERE sub_event_id IS NOT NULL;
CREATE INDEX messages_provider_id ON messages (gateway_id, provider_message_id) WHERE provider_message_id IS NOT NULL;
CREATE UNIQUE INDEX messages_idempotency ON messages (idempotency_key);

CREATE TABLE message_attempts (
  id              INTEGER PRIMARY KEY AUTOINCREMENT,
  message_id      INTEGER NOT NULL REFERENCES messages(id),
  gateway_id      TEXT,
  started_at      INTEGER NOT NULL,
  finished_at     INTEGER NOT NULL,
  outcome         TEXT NOT NULL,
  status_code     INTEGER,
  detail          TEXT,
  request_trace   TEXT,
  response_trace  TEXT
);
CREATE INDEX message_attempts_message ON message_attempts (message_id);
-- The rate limit counts attempts per gateway in the last 60 s.
CREATE INDEX message_attempts_gateway_time ON message_attempts (gateway_id, started_at);

-- SMS accepted per project and project-local day, for the daily limit.
CREATE TABLE daily_counts (
  project_id  TEXT NOT NULL,
  day         TEXT NOT NULL,
  accepted    INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (project_id, day)
);

-- Opt-out is global per number (SPEC 5).
CREATE TABLE opt_outs (
  number        TEXT PRIMARY KEY,
  opted_out     INTEGER NOT NULL DEFAULT 0,
  can_opt_in    INTEGER NOT NULL DEFAULT 1,
  project_id    TEXT,
  opted_out_at  INTEGER,
  opted_in_at   INTEGER,
  updated_at    INTEGER NOT NULL
);
CREATE INDEX opt_outs_project ON opt_outs (project_id) WHERE opted_out = 1;

CREATE TABLE alerts (
  project_id        TEXT NOT NULL REFERENCES projects(id),
  id                TEXT NOT NULL,
  case_type         TEXT NOT NULL,
  definition        TEXT NOT NULL,
  active            INTEGER NOT NULL DEFAULT 1,
  version           INTEGER NOT NULL DEFAULT 1,
  processing_total  INTEGER NOT NULL DEFAULT 0,
  processing_done   INTEGER NOT NULL DEFAULT 0,
  -- The last case id processed when the alert was created or edited; NULL when done.
  processing_cursor TEXT,
  processing_pending INTEGER NOT NULL DEFAULT 0,
  created_at        INTEGER NOT NULL,
  updated_at        INTEGER NOT NULL,
  PRIMARY KEY (project_id, id)
);
CREATE INDEX alerts_case_type ON alerts (project_id, case_type);
CREATE INDEX alerts_processing ON alerts (processing_pending) WHERE processing_pending = 1;

CREATE TABLE broadcasts (
  project_id  TEXT NOT NULL REFERENCES projects(id),
  id          TEXT NOT NULL,
  definition  TEXT NOT NULL,
  active      INTEGER NOT NULL DEFAULT 1,
  created_at  INTEGER NOT NULL,
  updated_at  INTEGER NOT NULL,
  PRIMARY KEY (project_id, id)
);

-- One schedule per (alert, case) or (broadcast, recipient); next_due_at feeds the worker.
CREATE TABLE schedule_instances (
  id           INTEGER PRIMARY KEY AUTOINCREMENT,
  project_id   TEXT NOT NULL,
  source_kind  TEXT NOT NULL CHECK (source_kind IN ('alert', 'broadcast')),
  source_id    TEXT NOT NULL,
  subject_key  TEXT NOT NULL,
  state        TEXT NOT NULL DEFAULT '{}',
  occurrences  INTEGER NOT NULL DEFAULT 0,
  next_due_at  INTEGER,
  active       INTEGER NOT NULL DEFAULT 1,
  created_at   INTEGER NOT NULL,
  updated_at   INTEGER NOT NULL
);
CREATE UNIQUE INDEX schedule_instances_subject ON schedule_instances (project_id, source_kind, source_id, subject_key);
CREATE INDEX schedule_instances_due ON schedule_instances (next_due_at, id) WHERE next_due_at IS NOT NULL;

-- A firing sends at most once per (instance, due instant, recipient).
CREATE TABLE schedule_firings (
  instance_id    INTEGER NOT NULL,
  due_at         INTEGER NOT NULL,
  recipient_key  TEXT NOT NULL,
  message_id     INTEGER,
  created_at     INTEGER NOT NULL,
  PRIMARY KEY (instance_id, due_at, recipient_key)
);

CREATE TABLE keywords (
  project_id   TEXT NOT NULL REFERENCES projects(id),
  keyword_key  TEXT NOT NULL,
  keyword      TEXT NOT NULL,
  definition   TEXT NOT NULL,
  created_at   INTEGER NOT NULL,
  updated_at   INTEGER NOT NULL,
  PRIMARY KEY (project_id, keyword_key)
);

CREATE TABLE surveys (
  project_id  TEXT NOT NULL REFERENCES projects(id),
  id          TEXT NOT NULL,
  definition  TEXT NOT NULL,
  created_at  INTEGER NOT NULL,
  updated_at  INTEGER NOT NULL,
  PRIMARY KEY (project_id, id)
);

CREATE TABLE survey_sessions (
  id                INTEGER PRIMARY KEY AUTOINCREMENT,
  project_id        TEXT NOT NULL,
  survey_id         TEXT NOT NULL,
  contact_kind      TEXT NOT NULL,
  contact_id        TEXT NOT NULL,
  number            TEXT NOT NULL,
  gateway_id        TEXT,
  state             TEXT NOT NULL DEFAULT '{}',
  open              INTEGER NOT NULL DEFAULT 1,
  expires_at        INTEGER NOT NULL,
  next_reminder_at  INTEGER,
  created_at        INTEGER NOT NULL,
  updated_at        INTEGER NOT NULL
);
CREATE UNIQUE INDEX survey_sessions_one_open ON survey_sessions (project_id, contact_kind, contact_id) WHERE open = 1;
CREATE INDEX survey_sessions_due ON survey_sessions (expires_at) WHERE open = 1;

CREATE TABLE api_keys (
  id          TEXT PRIMARY KEY,
  project_id  TEXT,
  key_hash    TEXT NOT NULL,
  name        TEXT,
  created_at  INTEGER NOT NULL,
  revoked_at  INTEGER
);
CREATE UNIQUE INDEX api_keys_hash ON api_keys (key_hash);
