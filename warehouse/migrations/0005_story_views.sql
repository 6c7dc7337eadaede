-- Analyst views over stories and syndication.

-- Every assigned article with its story, outlet, language and how it was recognised.
CREATE VIEW story_copies AS
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
       y.similarity,
       y.agency                    AS credited_agency,
       y.evidence,
       y.decided_at
FROM syndication y
JOIN stories st ON st.story_id = y.story_id
JOIN (SELECT * FROM articles
      QUALIFY row_number() OVER (PARTITION BY article_id ORDER BY discovered_at) = 1) a
  ON a.article_id = y.article_id
LEFT JOIN (SELECT outlet_id, any_value(name) AS name, any_value(kind) AS kind
           FROM outlets GROUP BY outlet_id) o ON o.outlet_id = a.outlet_id;

-- One row per story: its canonical article, copy counts, outlets, languages, agencies.
CREATE VIEW story_summary AS
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
       st.updated_at
FROM stories st
LEFT JOIN (SELECT article_id, any_value(outlet_id) AS outlet_id FROM articles GROUP BY 1) c
  ON c.article_id = st.canonical_article_id;

-- How far each agency's copy reaches: per credited agency and outlet, the copies and stories.
CREATE VIEW agency_reach AS
SELECT y.agency                    AS agency_id,
       a.outlet_id,
       count(*)                    AS copies,
       count(DISTINCT y.story_id)  AS stories,
       min(a.published_at)         AS first_copy_at,
       max(a.published_at)         AS last_copy_at
FROM syndication y
JOIN (SELECT article_id, any_value(outlet_id) AS outlet_id, min(published_at) AS published_at
      FROM articles GROUP BY 1) a ON a.article_id = y.article_id
WHERE y.agency IS NOT NULL
GROUP BY y.agency, a.outlet_id;

-- Copies per story per day (by publication time, else discovery): how a story spreads.
CREATE VIEW story_copies_daily AS
SELECT y.story_id,
       CAST(coalesce(a.published_at, a.discovered_at) AS DATE) AS day,
       count(*)                    AS articles,
       count(*) FILTER (WHERE y.method <> 'original') AS copies,
       count(DISTINCT a.outlet_id) AS outlets,
       list(DISTINCT a.language)   AS languages
FROM syndication y
JOIN (SELECT article_id, any_value(outlet_id) AS outlet_id, min(published_at) AS published_at,
             min(discovered_at) AS discovered_at, any_value(language) AS language
      FROM articles GROUP BY 1) a ON a.article_id = y.article_id
GROUP BY y.story_id, day;
