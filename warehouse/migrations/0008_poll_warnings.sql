-- The parser's notes on a poll (items skipped, dates dropped, malformed XML recovered).
ALTER TABLE feed_polls ADD COLUMN warnings VARCHAR;
