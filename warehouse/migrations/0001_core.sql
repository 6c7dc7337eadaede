-- Core tables: outlets, feeds and their polls, articles, runs.
-- No PRIMARY KEY / UNIQUE / FOREIGN KEY: the same SQL must run on a DuckLake catalog,
-- and idempotency comes from anti-joins in the loaders, not from constraints.

CREATE TABLE outlets (
    outlet_id    VARCHAR NOT NULL,
    name         VARCHAR NOT NULL,
    homepage     VARCHAR,
    language     VARCHAR,
    country      VARCHAR,
    kind         VARCHAR NOT NULL,          -- outlet | wire
    updated_at   TIMESTAMPTZ NOT NULL
);

CREATE TABLE feeds (
    feed_url             VARCHAR NOT NULL,
    outlet_id            VARCHAR NOT NULL,
    etag                 VARCHAR,
    last_modified        VARCHAR,
    body_hash            VARCHAR,
    last_status          VARCHAR,           -- ok | not_modified | unchanged | failed
    last_http_status     INTEGER,
    last_error           VARCHAR,
    last_polled_at       TIMESTAMPTZ,
    last_success_at      TIMESTAMPTZ,
    last_new_item_at     TIMESTAMPTZ,
    consecutive_failures INTEGER NOT NULL DEFAULT 0,
    interval_seconds     INTEGER NOT NULL,
    next_poll_at         TIMESTAMPTZ
);

CREATE TABLE feed_polls (
    run_id       VARCHAR NOT NULL,
    feed_url     VARCHAR NOT NULL,
    polled_at    TIMESTAMPTZ NOT NULL,
    status       VARCHAR NOT NULL,          -- ok | not_modified | unchanged | failed
    http_status  INTEGER,
    bytes        BIGINT,
    items        INTEGER,
    new_items    INTEGER,
    duration_ms  DOUBLE,
    error        VARCHAR
);

CREATE TABLE articles (
    article_id          VARCHAR NOT NULL,   -- stable: hash of the first canonical URL
    outlet_id           VARCHAR NOT NULL,
    feed_url            VARCHAR,
    guid                VARCHAR,
    url                 VARCHAR NOT NULL,   -- the link as the feed gave it
    canonical_url       VARCHAR NOT NULL,   -- our canonical form (tracking removed)
    page_canonical_url  VARCHAR,            -- rel=canonical of the page, canonicalised
    final_url           VARCHAR,            -- after redirects
    status              VARCHAR NOT NULL,   -- pending | extracted | failed | skipped
    reason              VARCHAR,
    retryable           BOOLEAN,            -- a failure worth fetching again (transient)
    extraction_method   VARCHAR,            -- trafilatura | feed_summary
    feed_title          VARCHAR,
    feed_summary        VARCHAR,
    title               VARCHAR,
    author              VARCHAR,
    description         VARCHAR,
    site_name           VARCHAR,
    text                VARCHAR,
    language            VARCHAR,            -- detected
    declared_language   VARCHAR,            -- the page's claim
    word_count          INTEGER,
    published_at        TIMESTAMPTZ,
    published_source    VARCHAR,
    updated_at          TIMESTAMPTZ,
    updated_source      VARCHAR,
    http_status         INTEGER,
    content_hash        VARCHAR,
    discovered_at       TIMESTAMPTZ NOT NULL,
    fetched_at          TIMESTAMPTZ,
    attempts            INTEGER NOT NULL DEFAULT 0,
    run_id              VARCHAR
);

CREATE TABLE runs (
    run_id              VARCHAR NOT NULL,
    flow_run_id         VARCHAR,
    started_at          TIMESTAMPTZ NOT NULL,
    finished_at         TIMESTAMPTZ,
    status              VARCHAR NOT NULL,
    feeds_polled        INTEGER,
    feeds_not_modified  INTEGER,
    feeds_failed        INTEGER,
    items_seen          INTEGER,
    items_new           INTEGER,
    pages_fetched       INTEGER,
    articles_extracted  INTEGER,
    articles_failed     INTEGER,
    articles_skipped    INTEGER,
    stage_seconds       JSON,
    error               VARCHAR
);
