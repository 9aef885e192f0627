-- A firing no longer writes a row per recipient (issue #19): it is one transaction with the
-- instance's move to its next event, and the instance keeps the due instant of its last firing
-- (state.firedThrough), so a retried firing, or a pause, resume or recalculation that finds the
-- same instant due again, never sends twice. The per-recipient record is not needed any more.
DROP TABLE schedule_firings;
