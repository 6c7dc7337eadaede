-- Which shard (k/n) of the outlets a cycle ran; NULL: all of them (one worker).
-- Workers of different shards run at once, so a worker closes as interrupted only the
-- runs its own shard left behind (see warehouse/runs.py).
ALTER TABLE runs ADD COLUMN shard VARCHAR;
