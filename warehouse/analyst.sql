-- Table macros for common analyst questions, created in the published analyst copy.

CREATE OR REPLACE MACRO stories_on(topic_name, since := TIMESTAMPTZ '1970-01-01') AS TABLE
    SELECT s.first_seen_at, s.title, t.score, s.outlet_count, s.copy_count, s.languages,
           s.agencies, s.story_id
    FROM story_topics t JOIN story_summary s USING (story_id)
    WHERE t.topic = topic_name AND s.first_seen_at >= since
    ORDER BY s.first_seen_at DESC;

CREATE OR REPLACE MACRO mentions_of(entity) AS TABLE
    SELECT published_at, outlet_id, title, entity_name, surface, type, latitude, longitude,
           article_id
    FROM entity_mentions
    WHERE entity_id = entity OR entity_name ILIKE '%' || entity || '%'
    ORDER BY published_at DESC NULLS LAST;

CREATE OR REPLACE MACRO copies_of(story) AS TABLE
    SELECT outlet_name, language, title, method, credited_agency, similarity, published_at,
           canonical_url, is_canonical
    FROM story_copies WHERE story_id = story
    ORDER BY is_canonical DESC, published_at;

CREATE OR REPLACE MACRO agency_reach_since(since) AS TABLE
    SELECT a.agency_id, count(DISTINCT c.outlet_id) AS outlets, count(*) AS copies
    FROM story_copies c JOIN agency_reach a
      ON a.agency_id = c.credited_agency AND a.outlet_id = c.outlet_id
    WHERE c.published_at >= since
    GROUP BY a.agency_id ORDER BY copies DESC;
