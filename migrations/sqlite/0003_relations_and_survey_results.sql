-- Case relations (SPEC 2): a case's indices as CommCare sends them (identifier -> {case_type,
-- case_id, relationship}), and the id its 'parent' index names, so an alert's "children"
-- recipients (the open cases whose parent it is) are an index look-up.
ALTER TABLE cases ADD COLUMN indices TEXT NOT NULL DEFAULT '{}';
ALTER TABLE cases ADD COLUMN parent_id TEXT;
CREATE INDEX cases_children ON cases (project_id, parent_id) WHERE parent_id IS NOT NULL;

-- A mobile worker's own first and last names ({recipient.first_name}, SPEC 3.5).
ALTER TABLE mobile_workers ADD COLUMN first_name TEXT;
ALTER TABLE mobile_workers ADD COLUMN last_name TEXT;

-- Survey sessions are kept with their answers, status and end (SPEC 5.1): results per survey
-- and per contact read them newest first.
ALTER TABLE survey_sessions ADD COLUMN status TEXT NOT NULL DEFAULT 'open';
ALTER TABLE survey_sessions ADD COLUMN ended_at INTEGER;
UPDATE survey_sessions SET status = 'closed', ended_at = updated_at WHERE open = 0;
CREATE INDEX survey_sessions_results ON survey_sessions (project_id, survey_id, id);
CREATE INDEX survey_sessions_contact ON survey_sessions (project_id, contact_kind, contact_id, id);
