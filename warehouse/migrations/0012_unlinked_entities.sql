-- Linked and unlinked entities side by side (docs/entities-topics.md, docs/analysts.md).
-- Unlinked entities are names the NER found that the knowledge base does not know; their
-- ids ("unlinked:<type>:<hash of the folded name>") are the same in every article, so they
-- can be counted and followed like linked ones.

CREATE OR REPLACE VIEW entity_mentions AS
SELECT
    ae.article_id,
    a.outlet_id,
    a.url,
    a.title,
    a.language,
    a.published_at,
    ae.entity_id,
    coalesce(e.name, ae.surface)                         AS entity_name,
    ae.type,
    ae.linked,
    CASE WHEN ae.linked THEN 'linked' ELSE 'unlinked' END AS kind,
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

-- One row per unlinked entity: its canonical name, every way it was written, and its reach.
CREATE VIEW unlinked_entities AS
SELECT
    ae.entity_id,
    arg_max(coalesce(e.name, ae.surface), coalesce(a.published_at, a.discovered_at)) AS name,
    any_value(ae.type)                                       AS type,
    list_sort(list(DISTINCT ae.surface))                     AS surface_forms,
    count(*)                                                 AS mentions,
    count(DISTINCT ae.article_id)                            AS articles,
    count(DISTINCT a.outlet_id)                              AS outlets,
    min(coalesce(a.published_at, a.discovered_at))           AS first_seen,
    max(coalesce(a.published_at, a.discovered_at))           AS last_seen
FROM article_entities AS ae
JOIN articles AS a ON a.article_id = ae.article_id
LEFT JOIN entity_catalog AS e ON e.entity_id = ae.entity_id
WHERE NOT ae.linked
GROUP BY ae.entity_id;

-- The export record gains `linked` in each entity (new field; nothing renamed or removed).
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
        'source_url': src.canonical_url,
        'method': s.method,
        'similarity': s.similarity,
        'evidence': s.evidence
    } END AS syndication,
    coalesce((
        SELECT list({'id': m.entity_id, 'name': m.name, 'type': m.type, 'count': m.n,
                     'linked': m.linked}
                    ORDER BY m.linked DESC, m.n DESC, m.entity_id)
        FROM (
            SELECT ae.entity_id, any_value(coalesce(e.name, ae.surface)) AS name,
                   any_value(ae.type) AS type, count(*) AS n, bool_or(ae.linked) AS linked
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
    EXISTS (
        SELECT 1 FROM alerts al
        WHERE al.story_id = s.story_id AND al.status = 'delivered'
    ) AS alerted,
    a.discovered_at
FROM articles a
LEFT JOIN syndication s ON s.article_id = a.article_id
LEFT JOIN stories st ON st.story_id = s.story_id
LEFT JOIN articles src ON src.article_id = s.source_article_id;
