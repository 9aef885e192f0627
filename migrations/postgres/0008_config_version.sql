-- The inbound pipeline keeps gateways, projects and keywords in memory (issue #19) and asks
-- this one-row counter, in one tiny statement a request, whether any of them changed since.
-- Triggers bump it in the transaction of every write to those tables, whoever writes them (a
-- repository, a removal, another server on the same database), so a change is seen by the
-- next inbound once it commits; until then readers see the old number and the old rows.
-- Statement-level: a write of many prefixes bumps it once.
CREATE TABLE config_version (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  version BIGINT NOT NULL
);
INSERT INTO config_version (id, version) VALUES (1, 1);

CREATE FUNCTION config_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE config_version SET version = version + 1 WHERE id = 1;
  RETURN NULL;
END;
$$;

CREATE TRIGGER projects_config AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON projects
  FOR EACH STATEMENT EXECUTE FUNCTION config_changed();
CREATE TRIGGER gateways_config AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON gateways
  FOR EACH STATEMENT EXECUTE FUNCTION config_changed();
CREATE TRIGGER gateway_prefixes_config AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON gateway_prefixes
  FOR EACH STATEMENT EXECUTE FUNCTION config_changed();
CREATE TRIGGER gateway_shares_config AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON gateway_shares
  FOR EACH STATEMENT EXECUTE FUNCTION config_changed();
CREATE TRIGGER keywords_config AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON keywords
  FOR EACH STATEMENT EXECUTE FUNCTION config_changed();

-- The sender's waiting inbound messages (the pipeline's first read, every inbound): a probe of
-- the few rows still due instead of a walk over all of the number's messages.
CREATE INDEX messages_inbound_waiting ON messages (phone, id) WHERE direction = 'in' AND due_at IS NOT NULL;
