-- Stories: groups of articles that carry one story, and how each copy was recognised.

CREATE TABLE stories (
    story_id              VARCHAR NOT NULL,
    canonical_article_id  VARCHAR NOT NULL,
    title                 VARCHAR,
    first_seen_at         TIMESTAMPTZ NOT NULL,
    updated_at            TIMESTAMPTZ NOT NULL,
    article_count         INTEGER NOT NULL,
    outlet_count          INTEGER NOT NULL,
    languages             VARCHAR[]
);

-- One row per assigned article: its story now, and where it came from.
CREATE TABLE syndication (
    article_id         VARCHAR NOT NULL,
    story_id           VARCHAR NOT NULL,
    source_article_id  VARCHAR,            -- NULL for the story's original
    method             VARCHAR NOT NULL,   -- original | exact | near_duplicate | translation | credit
    similarity         DOUBLE,
    agency             VARCHAR,            -- credited agency id, if any
    evidence           VARCHAR,
    decided_at         TIMESTAMPTZ NOT NULL
);

CREATE TABLE article_credits (
    article_id    VARCHAR NOT NULL,
    agency_id     VARCHAR NOT NULL,
    agency_name   VARCHAR NOT NULL,
    kind          VARCHAR NOT NULL,        -- credit | mention
    evidence      VARCHAR,
    start_offset  INTEGER,
    end_offset    INTEGER
);
