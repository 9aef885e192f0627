-- What gateways hand us, each provider id processed once (SPEC 3.6): an inbound message or a
-- delivery report seen before is answered as the first time and changes nothing. A status
-- report whose message is not known yet (the provider answered the webhook before the send's
-- answer was recorded, as Kannel does) waits here, unapplied, until the send is recorded.
CREATE TABLE gateway_receipts (
  gateway_id           TEXT NOT NULL,
  kind                 TEXT NOT NULL CHECK (kind IN ('inbound', 'status')),
  -- inbound: the provider's message id; status: the id with the reported state
  receipt_key          TEXT NOT NULL,
  provider_message_id  TEXT NOT NULL,
  -- inbound: the stored message (NULL while it is being stored); status: the message it moved
  message_id           INTEGER,
  result               TEXT,
  detail               TEXT,
  -- status: another gateway that takes the message over (WhatsApp's SMS fallback)
  reroute              TEXT,
  received_at          INTEGER NOT NULL,
  applied_at           INTEGER,
  PRIMARY KEY (gateway_id, kind, receipt_key)
);
CREATE INDEX gateway_receipts_waiting ON gateway_receipts (gateway_id, provider_message_id) WHERE kind = 'status' AND applied_at IS NULL;

-- The provider ids of every part of a message sent in several (SMPP): a long text is delivered
-- once every part is. Single-part messages keep their id in messages.provider_message_id alone.
CREATE TABLE message_parts (
  gateway_id           TEXT NOT NULL,
  provider_message_id  TEXT NOT NULL,
  message_id           INTEGER NOT NULL,
  part                 INTEGER NOT NULL,
  status               TEXT NOT NULL DEFAULT 'sent' CHECK (status IN ('sent', 'delivered', 'error')),
  PRIMARY KEY (gateway_id, provider_message_id)
);
CREATE INDEX message_parts_message ON message_parts (message_id);

-- WhatsApp's 24-hour session: the last message a number sent through a gateway.
CREATE INDEX messages_inbound_by_gateway ON messages (gateway_id, phone, created_at) WHERE direction = 'in';
