-- Due work is processed item by item (SPEC 7): a schedule instance whose firing throws (a stored
-- definition or number the engine cannot use) is taken out of the due queue (next_due_at NULL)
-- with the reason here, so it is logged once and never blocks the other instances of a round.
-- Saving its alert or broadcast again recomputes it and clears the reason.
ALTER TABLE schedule_instances ADD COLUMN error_text TEXT;
