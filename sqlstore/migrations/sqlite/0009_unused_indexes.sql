-- Indexes no query uses: every ordering and lookup by title or name goes
-- through lower(…), which movies_title_lower_idx and
-- persons_lower_name_idx serve, and the character list sorts by
-- lower(name) after counting every row (count(*) OVER ()), which no index
-- on name shortens. Each index is one b-tree more to keep on every
-- insert, and an import writes tens of thousands of rows at a time.
DROP INDEX movies_title_idx;
DROP INDEX persons_name_idx;
DROP INDEX characters_name_idx;
