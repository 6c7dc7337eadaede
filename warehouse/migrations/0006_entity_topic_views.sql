-- Analyst views over entities and topics (documented in docs/entities-topics.md).

-- Canonical entity rows, one per id even if a load ever wrote two (no UNIQUE constraints).
CREATE VIEW entity_catalog AS
SELECT
    entity_id,
    arg_max(name, updated_at)         AS name,
    arg_max(type, updated_at)         AS type,
    bool_or(linked)                   AS linked,
    arg_max(country, updated_at)      AS country,
    arg_max(country_name, updated_at) AS country_name,
    arg_max(admin1, updated_at)       AS admin1,
    arg_max(admin1_name, updated_at)  AS admin1_name,
    arg_max(latitude, updated_at)     AS latitude,
    arg_max(longitude, updated_at)    AS longitude,
    arg_max(categories, updated_at)   AS categories
FROM entities
GROUP BY entity_id;

-- Every mention with its article, outlet, time and (for places) coordinates.
CREATE VIEW entity_mentions AS
SELECT
    ae.article_id,
    a.outlet_id,
    a.url,
    a.title,
    a.language,
    a.published_at,
    ae.entity_id,
    e.name            AS entity_name,
    ae.type,
    ae.linked,
    ae.surface,
    ae.start_offset,
    ae.end_offset,
    e.latitude,
    e.longitude,
    e.country,
    e.country_name,
    e.admin1,
    e.admin1_name
FROM article_entities AS ae
JOIN articles AS a ON a.article_id = ae.article_id
LEFT JOIN entity_catalog AS e ON e.entity_id = ae.entity_id;

-- A story inherits its articles' topics: best score and that article's evidence.
CREATE VIEW story_topics AS
SELECT
    sy.story_id,
    t.topic,
    max(t.score)                        AS score,
    arg_max(t.evidence, t.score)        AS evidence,
    count(DISTINCT t.article_id)        AS articles
FROM syndication AS sy
JOIN article_topics AS t ON t.article_id = sy.article_id
GROUP BY sy.story_id, t.topic;

-- Articles and stories per topic per UTC day (publication time, else discovery time).
CREATE VIEW topic_volume_daily AS
SELECT
    CAST(timezone('UTC', coalesce(a.published_at, a.discovered_at)) AS DATE) AS day,
    t.topic,
    count(DISTINCT t.article_id)                                          AS articles,
    count(DISTINCT sy.story_id)                                           AS stories,
    round(avg(t.score), 3)                                                AS mean_score
FROM article_topics AS t
JOIN articles AS a ON a.article_id = t.article_id
LEFT JOIN syndication AS sy ON sy.article_id = t.article_id
GROUP BY ALL;
