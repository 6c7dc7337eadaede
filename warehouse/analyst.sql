-- Table macros for common analyst questions, created in the published analyst copy.

-- merged_ids: ids of stories merged into this one (links in alerts sent under them).
CREATE OR REPLACE MACRO stories_on(topic_name, since := TIMESTAMPTZ '1970-01-01') AS TABLE
    SELECT s.first_seen_at, s.title, t.score, s.outlet_count, s.copy_count, s.languages,
           s.agencies, s.story_id, s.merged_ids
    FROM story_topics t JOIN story_summary s USING (story_id)
    WHERE t.topic = topic_name AND s.first_seen_at >= since
    ORDER BY s.first_seen_at DESC;

-- Any story id, including one merged into another since: the story it is now.
CREATE OR REPLACE MACRO story_by_id(any_id) AS TABLE
    SELECT s.* FROM story_summary s
    JOIN story_lookup l ON l.story_id = s.story_id
    WHERE l.any_story_id = any_id;

CREATE OR REPLACE MACRO mentions_of(entity) AS TABLE
    SELECT published_at, outlet_id, title, entity_name, surface, type, latitude, longitude,
           article_id
    FROM entity_mentions
    WHERE entity_id = entity OR entity_name ILIKE '%' || entity || '%'
    ORDER BY published_at DESC NULLS LAST;

CREATE OR REPLACE MACRO copies_of(story) AS TABLE
    SELECT c.outlet_name, c.language, c.title, c.method, c.credited_agency, c.similarity,
           c.published_at, c.canonical_url, c.is_canonical, c.source_url
    FROM story_copies c
    JOIN story_lookup l ON l.story_id = c.story_id
    WHERE l.any_story_id = story
    ORDER BY c.is_canonical DESC, c.published_at;

CREATE OR REPLACE MACRO agency_reach_since(since) AS TABLE
    SELECT a.agency_id, count(DISTINCT c.outlet_id) AS outlets, count(*) AS copies
    FROM story_copies c JOIN agency_reach a
      ON a.agency_id = c.credited_agency AND a.outlet_id = c.outlet_id
    WHERE c.published_at >= since
    GROUP BY a.agency_id ORDER BY copies DESC;
