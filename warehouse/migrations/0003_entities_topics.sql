-- Entities (canonical, with coordinates for places), their mentions, and topic tags.

CREATE TABLE entities (
    entity_id  VARCHAR NOT NULL,           -- Wikidata QID where known, else a stable slug
    name       VARCHAR NOT NULL,
    type       VARCHAR NOT NULL,           -- PERSON | ORG | GPE | LOC
    linked     BOOLEAN NOT NULL,
    country    VARCHAR,
    admin1     VARCHAR,
    latitude   DOUBLE,
    longitude  DOUBLE
);

CREATE TABLE article_entities (
    article_id    VARCHAR NOT NULL,
    entity_id     VARCHAR NOT NULL,
    type          VARCHAR NOT NULL,
    surface       VARCHAR NOT NULL,
    start_offset  INTEGER NOT NULL,
    end_offset    INTEGER NOT NULL
);

CREATE TABLE article_topics (
    article_id  VARCHAR NOT NULL,
    topic       VARCHAR NOT NULL,
    score       DOUBLE NOT NULL,
    evidence    VARCHAR[]                 -- matched terms and entities
);
