-- Provenance methods with their evidence, and stories merged across cycles.
--
-- syndication.method is one of: original | exact | near_duplicate | translation |
-- canonical_link | credit_only | same_event. Every method but `original` and `same_event`
-- names a source: `source_url` is the page the copy came from (for `canonical_link` the
-- page its rel=canonical declares, known before that page is fetched), and
-- `source_article_id` the stored article at that URL once there is one.
ALTER TABLE syndication ADD COLUMN source_url VARCHAR;

-- The credited method was called `credit`; it is `credit_only` now (a credit and a
-- paraphrase, no copied text).
UPDATE syndication SET method = 'credit_only' WHERE method = 'credit';
UPDATE syndication SET source_url = (
    SELECT any_value(a.canonical_url) FROM articles a
    WHERE a.article_id = syndication.source_article_id)
WHERE source_article_id IS NOT NULL;

-- When a later article shows two stories are one event, the older story survives and the
-- other's id becomes an alias of it. No PRIMARY KEY: one row per alias is kept by the
-- writer (warehouse/story_merge.py), and chains are flattened when they form.
CREATE TABLE story_aliases (
    alias_story_id  VARCHAR NOT NULL,
    story_id        VARCHAR NOT NULL,   -- the surviving story
    merged_at       TIMESTAMPTZ NOT NULL,
    evidence        VARCHAR
);

-- Any story id ever issued (surviving or merged away) -> the story it is now.
CREATE VIEW story_lookup AS
SELECT story_id AS any_story_id, story_id, false AS merged FROM stories
UNION ALL
SELECT alias_story_id, any_value(story_id), true FROM story_aliases GROUP BY alias_story_id;

CREATE OR REPLACE VIEW story_copies AS
SELECT y.story_id,
       st.title                    AS story_title,
       st.canonical_article_id,
       y.article_id,
       y.article_id = st.canonical_article_id AS is_canonical,
       a.outlet_id,
       o.name                      AS outlet_name,
       o.kind                      AS outlet_kind,
       a.language,
       a.title,
       a.canonical_url,
       a.published_at,
       a.discovered_at,
       y.method,
       y.source_article_id,
       coalesce(y.source_url, src.canonical_url) AS source_url,
       y.similarity,
       y.agency                    AS credited_agency,
       y.evidence,
       y.decided_at
FROM syndication y
JOIN stories st ON st.story_id = y.story_id
JOIN (SELECT * FROM articles
      QUALIFY row_number() OVER (PARTITION BY article_id ORDER BY discovered_at) = 1) a
  ON a.article_id = y.article_id
LEFT JOIN (SELECT article_id, any_value(canonical_url) AS canonical_url
           FROM articles GROUP BY 1) src ON src.article_id = y.source_article_id
LEFT JOIN (SELECT outlet_id, any_value(name) AS name, any_value(kind) AS kind
           FROM outlets GROUP BY outlet_id) o ON o.outlet_id = a.outlet_id;

CREATE OR REPLACE VIEW story_summary AS
SELECT st.story_id,
       st.title,
       st.canonical_article_id,
       c.outlet_id                 AS canonical_outlet,
       st.first_seen_at,
       st.first_published_at,
       st.article_count,
       st.article_count - 1        AS copy_count,
       st.outlet_count,
       st.outlets,
       st.languages,
       st.agencies,
       st.updated_at,
       coalesce(al.merged_ids, [])  AS merged_ids,
       coalesce(m.methods, MAP {})  AS methods
FROM stories st
LEFT JOIN (SELECT article_id, any_value(outlet_id) AS outlet_id FROM articles GROUP BY 1) c
  ON c.article_id = st.canonical_article_id
LEFT JOIN (SELECT story_id, list(DISTINCT alias_story_id ORDER BY alias_story_id) AS merged_ids
           FROM story_aliases GROUP BY story_id) al ON al.story_id = st.story_id
LEFT JOIN (SELECT story_id, map(list(method ORDER BY method), list(n ORDER BY method)) AS methods
           FROM (SELECT story_id, method, count(*) AS n FROM syndication GROUP BY ALL)
           GROUP BY story_id) m ON m.story_id = st.story_id;

CREATE OR REPLACE VIEW article_export AS
SELECT
    a.article_id,
    a.url,
    a.canonical_url,
    a.outlet_id AS outlet,
    a.feed_url,
    a.guid,
    a.title,
    a.author,
    a.published_at,
    a.published_source AS published_at_source,
    a.updated_at,
    a.language,
    a.declared_language,
    a.text,
    a.word_count,
    a.status,
    a.reason AS status_reason,
    s.story_id,
    coalesce(st.canonical_article_id = a.article_id, false) AS is_story_canonical,
    CASE WHEN s.article_id IS NULL THEN NULL ELSE {
        'agency': s.agency,
        'source_url': coalesce(s.source_url, src.canonical_url),
        'method': s.method,
        'similarity': s.similarity,
        'evidence': s.evidence
    } END AS syndication,
    coalesce((
        SELECT list({'id': m.entity_id, 'name': m.name, 'type': m.type, 'count': m.n}
                    ORDER BY m.n DESC, m.entity_id)
        FROM (
            SELECT ae.entity_id, any_value(coalesce(e.name, ae.surface)) AS name,
                   any_value(ae.type) AS type, count(*) AS n
            FROM article_entities ae LEFT JOIN entities e ON e.entity_id = ae.entity_id
            WHERE ae.article_id = a.article_id
            GROUP BY ae.entity_id
        ) m
    ), []) AS entities,
    coalesce((
        SELECT list({'topic': t.topic, 'score': t.score, 'evidence': t.evidence}
                    ORDER BY t.score DESC, t.topic)
        FROM article_topics t WHERE t.article_id = a.article_id
    ), []) AS topics,
    -- An alert sent for a story that was later merged into this one counts too.
    EXISTS (
        SELECT 1 FROM alerts al
        WHERE al.status = 'delivered'
          AND (al.story_id = s.story_id
               OR al.story_id IN (SELECT alias_story_id FROM story_aliases x
                                  WHERE x.story_id = s.story_id))
    ) AS alerted,
    a.discovered_at
FROM articles a
LEFT JOIN syndication s ON s.article_id = a.article_id
LEFT JOIN stories st ON st.story_id = s.story_id
LEFT JOIN (SELECT article_id, any_value(canonical_url) AS canonical_url
           FROM articles GROUP BY 1) src ON src.article_id = s.source_article_id;
