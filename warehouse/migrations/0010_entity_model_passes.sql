-- Which articles the NER model has tagged (the entities stage after the load). An article
-- without a row here has only the linker's mentions; the stage picks it up (crash-safe:
-- the row and the article's new mentions commit together).
CREATE TABLE article_entity_passes (
    article_id  VARCHAR NOT NULL,
    model       VARCHAR NOT NULL,         -- e.g. crf-1: the packaged model that tagged it
    tagged_at   TIMESTAMPTZ NOT NULL
);
