-- The export record: one row per article, stable field names (docs/export.md).
CREATE VIEW article_export AS
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
    EXISTS (
        SELECT 1 FROM alerts al
        WHERE al.story_id = s.story_id AND al.status = 'delivered'
    ) AS alerted,
    a.discovered_at
FROM articles a
LEFT JOIN syndication s ON s.article_id = a.article_id
LEFT JOIN stories st ON st.story_id = s.story_id
LEFT JOIN articles src ON src.article_id = s.source_article_id;
