-- Alert outbox: one row per (rule, story) that matched, and every delivery attempt.
-- No PRIMARY KEY / UNIQUE: "alerted once" comes from the anti-join in warehouse/outbox.py,
-- so the same SQL runs on a DuckLake catalog. alert_id is derived from (rule, story), so even
-- two racing writers produce the same id, which receivers use as the idempotency key.

CREATE TABLE alerts (
    alert_id          VARCHAR NOT NULL,     -- 'al_' + sha256(rule name, story id), first 24 hex
    rule_name         VARCHAR NOT NULL,
    story_id          VARCHAR NOT NULL,
    mode              VARCHAR NOT NULL,     -- immediate | digest (the rule's mode at match time)
    status            VARCHAR NOT NULL,     -- pending | sending | failed | delivered | abandoned
    delivery_id       VARCHAR,              -- idempotency key sent: alert_id, or the digest id
    matched_topic     VARCHAR,
    matched_score     DOUBLE,
    matched_evidence  VARCHAR[],            -- topic evidence terms over the story's articles
    matched_entities  VARCHAR[],            -- the rule's entities the story mentions
    outlet_count      INTEGER,              -- outlets carrying the story when it matched
    created_at        TIMESTAMPTZ NOT NULL,
    attempts          INTEGER NOT NULL DEFAULT 0,
    claim_token       VARCHAR,              -- which delivery run holds the row while sending
    claimed_at        TIMESTAMPTZ,
    next_attempt_at   TIMESTAMPTZ,
    last_error        VARCHAR,
    delivered_at      TIMESTAMPTZ
);

-- One row per (alert, destination, attempt). destination is "ENV_VAR[index] scheme": the
-- URL itself is a secret and is never stored.
CREATE TABLE alert_attempts (
    alert_id      VARCHAR NOT NULL,
    delivery_id   VARCHAR NOT NULL,
    attempted_at  TIMESTAMPTZ NOT NULL,
    kind          VARCHAR NOT NULL,         -- delivery | replay
    destination   VARCHAR NOT NULL,
    ok            BOOLEAN NOT NULL,
    error         VARCHAR
);
