-- Entities (canonical, with coordinates for places), their mentions, and topic tags.
-- No constraints: warehouse/tags.py keeps these idempotent by delete-then-insert.

CREATE TABLE entities (
    entity_id     VARCHAR NOT NULL,        -- Wikidata QID where known, else a stable slug
    name          VARCHAR NOT NULL,
    type          VARCHAR NOT NULL,        -- PERSON | ORG | GPE | LOC
    linked        BOOLEAN NOT NULL,        -- false: found by NER only ("unlinked:<TYPE>:<slug>")
    country       VARCHAR,                 -- ISO 3166-1 alpha-2
    admin1        VARCHAR,                 -- ISO 3166-2 first-level subdivision
    latitude      DOUBLE,
    longitude     DOUBLE,
    country_name  VARCHAR,
    admin1_name   VARCHAR,
    categories    VARCHAR[],               -- security_agency, criminal_org, ...
    updated_at    TIMESTAMPTZ
);

CREATE TABLE article_entities (
    article_id    VARCHAR NOT NULL,
    entity_id     VARCHAR NOT NULL,
    type          VARCHAR NOT NULL,
    surface       VARCHAR NOT NULL,
    start_offset  INTEGER NOT NULL,        -- character offsets into articles.text
    end_offset    INTEGER NOT NULL,
    linked        BOOLEAN NOT NULL DEFAULT TRUE
);

CREATE TABLE article_topics (
    article_id  VARCHAR NOT NULL,
    topic       VARCHAR NOT NULL,
    score       DOUBLE NOT NULL,           -- in [0, 1)
    evidence    VARCHAR[]                  -- matched terms and entities ("term:x", "entity:id")
);
