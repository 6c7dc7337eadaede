-- The publisher's own calendar day beside the UTC instant (docs/extraction.md, Dates).
-- published_utc_offset: minutes east of UTC the page wrote with its time (-240 for
-- 2025-06-25T20:57:54-04:00); NULL when the source stated none (feeds, htmldate, written
-- dates, addresses). published_day: the day the publisher gives, which for an evening
-- time in the Americas is the day before published_at's UTC day. Both describe whichever
-- published_at is stored, and are NULL where that came from the feed.
ALTER TABLE articles ADD COLUMN published_utc_offset INTEGER;
ALTER TABLE articles ADD COLUMN published_day DATE;
