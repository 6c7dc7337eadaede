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

-- Story-level facts beyond the minimum above.
ALTER TABLE stories ADD COLUMN first_published_at TIMESTAMPTZ;
ALTER TABLE stories ADD COLUMN agencies VARCHAR[];          -- agencies the copies credit
ALTER TABLE stories ADD COLUMN outlets VARCHAR[];

-- The persistent index of assigned articles' fingerprints, queried in place by each cycle
-- (hash joins against the cycle's few hundred articles), so nothing has to be rebuilt in
-- memory when a process starts. Rows are written once per article (anti-join on article_id).
CREATE TABLE story_index (
    article_id        VARCHAR NOT NULL,
    outlet_id         VARCHAR NOT NULL,
    language          VARCHAR,
    seen_at           TIMESTAMPTZ NOT NULL,   -- published_at, else discovered_at
    text_hash         VARCHAR NOT NULL,       -- normalised text without furniture
    word_count        INTEGER NOT NULL,
    credited_agency   VARCHAR,                -- the agency the article credits, if any
    shingles          UINTEGER[] NOT NULL,    -- sorted 5-word shingle hashes, boilerplate removed
    lead              VARCHAR,                -- title and first words, for the sentence encoder
    indexed_at        TIMESTAMPTZ NOT NULL
);

-- Candidate keys: MinHash LSH band keys (>= 2^32) and content-defined anchor shingles (< 2^32).
CREATE TABLE story_index_keys (
    article_id  VARCHAR NOT NULL,
    key         BIGINT NOT NULL
);

-- Cross-language cues (names, numbers) with the article's time, for translation candidates.
CREATE TABLE story_index_cues (
    article_id  VARCHAR NOT NULL,
    cue         VARCHAR NOT NULL,
    language    VARCHAR,
    seen_at     TIMESTAMPTZ NOT NULL
);

-- Which paragraphs each outlet printed in which article: a paragraph recurring across an
-- outlet's articles is its boilerplate.
CREATE TABLE outlet_paragraphs (
    outlet_id       VARCHAR NOT NULL,
    paragraph_hash  BIGINT NOT NULL,
    article_id      VARCHAR NOT NULL
);
