-- The inbound pipeline keeps gateways, projects and keywords in memory (issue #19) and asks
-- this one-row counter, in one tiny statement a request, whether any of them changed since.
-- Triggers bump it in the transaction of every write to those tables, whoever writes them (a
-- repository, a removal, another process sharing the file), so a change is seen by the next
-- inbound once it commits. A migration that rebuilds one of these tables must create its
-- triggers again.
CREATE TABLE config_version (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  version INTEGER NOT NULL
);
INSERT INTO config_version (id, version) VALUES (1, 1);

CREATE TRIGGER projects_config_insert AFTER INSERT ON projects
  BEGIN UPDATE config_version SET version = version + 1 WHERE id = 1; END;
CREATE TRIGGER projects_config_update AFTER UPDATE ON projects
  BEGIN UPDATE config_version SET version = version + 1 WHERE id = 1; END;
CREATE TRIGGER projects_config_delete AFTER DELETE ON projects
  BEGIN UPDATE config_version SET version = version + 1 WHERE id = 1; END;
CREATE TRIGGER gateways_config_insert AFTER INSERT ON gateways
  BEGIN UPDATE config_version SET version = version + 1 WHERE id = 1; END;
CREATE TRIGGER gateways_config_update AFTER UPDATE ON gateways
  BEGIN UPDATE config_version SET version = version + 1 WHERE id = 1; END;
CREATE TRIGGER gateways_config_delete AFTER DELETE ON gateways
  BEGIN UPDATE config_version SET version = version + 1 WHERE id = 1; END;
CREATE TRIGGER gateway_prefixes_config_insert AFTER INSERT ON gateway_prefixes
  BEGIN UPDATE config_version SET version = version + 1 WHERE id = 1; END;
CREATE TRIGGER gateway_prefixes_config_update AFTER UPDATE ON gateway_prefixes
  BEGIN UPDATE config_version SET version = version + 1 WHERE id = 1; END;
CREATE TRIGGER gateway_prefixes_config_delete AFTER DELETE ON gateway_prefixes
  BEGIN UPDATE config_version SET version = version + 1 WHERE id = 1; END;
CREATE TRIGGER gateway_shares_config_insert AFTER INSERT ON gateway_shares
  BEGIN UPDATE config_version SET version = version + 1 WHERE id = 1; END;
CREATE TRIGGER gateway_shares_config_update AFTER UPDATE ON gateway_shares
  BEGIN UPDATE config_version SET version = version + 1 WHERE id = 1; END;
CREATE TRIGGER gateway_shares_config_delete AFTER DELETE ON gateway_shares
  BEGIN UPDATE config_version SET version = version + 1 WHERE id = 1; END;
CREATE TRIGGER keywords_config_insert AFTER INSERT ON keywords
  BEGIN UPDATE config_version SET version = version + 1 WHERE id = 1; END;
CREATE TRIGGER keywords_config_update AFTER UPDATE ON keywords
  BEGIN UPDATE config_version SET version = version + 1 WHERE id = 1; END;
CREATE TRIGGER keywords_config_delete AFTER DELETE ON keywords
  BEGIN UPDATE config_version SET version = version + 1 WHERE id = 1; END;

-- The sender's waiting inbound messages (the pipeline's first read, every inbound): a probe of
-- the few rows still due instead of a walk over all of the number's messages.
CREATE INDEX messages_inbound_waiting ON messages (phone, id) WHERE direction = 'in' AND due_at IS NOT NULL;
