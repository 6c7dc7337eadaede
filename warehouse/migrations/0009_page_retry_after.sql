-- A page answered 429/503 with Retry-After: no retry before this moment, in any cycle.
ALTER TABLE articles ADD COLUMN retry_not_before TIMESTAMPTZ;
