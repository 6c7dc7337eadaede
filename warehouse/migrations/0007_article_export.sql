-- The export record: one row per article with its story, syndication, entities and topics.
CREATE VIEW article_export AS
SELECT
    a.article_id, a.outlet_id, o.name AS outlet_name, o.kind AS outlet_kind,
    a.url, a.canonical_url, a.page_canonical_url, a.status, a.reason, a.extraction_method,
    a.title, a.author, a.description, a.site_name, a.language, a.declared_language,
    a.word_count, a.published_at, a.published_source, a.updated_at, a.updated_source,
    a.discovered_at, a.fetched_at, a.text,
    s.story_id, s.source_article_id, s.method AS syndication_method,
    s.similarity AS syndication_similarity, s.agency AS credited_agency,
    s.evidence AS syndication_evidence,
    (SELECT list({'entity_id': e.entity_id, 'type': e.type, 'surface': e.surface,
                  'start': e.start_offset, 'end': e.end_offset} ORDER BY e.start_offset)
       FROM article_entities e WHERE e.article_id = a.article_id) AS entities,
    (SELECT list({'topic': t.topic, 'score': t.score, 'evidence': t.evidence}
                 ORDER BY t.score DESC)
       FROM article_topics t WHERE t.article_id = a.article_id) AS topics
FROM articles a
LEFT JOIN outlets o ON o.outlet_id = a.outlet_id
LEFT JOIN syndication s ON s.article_id = a.article_id;
