-- Text search of movie titles and person names, without extensions.
-- search_fold decomposes text (Unicode NFD), drops the combining
-- diacritical marks and lowercases, so "Amélie" and "AMELIE" both fold to
-- "amelie". An index expression must be IMMUTABLE, and every function it
-- calls is. normalize needs a UTF8 database.
CREATE FUNCTION search_fold(s text) RETURNS text
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    AS $$ SELECT lower(regexp_replace(normalize(s, NFD), '[\u0300-\u036f]', '', 'g')) $$;

-- The store's queries repeat these expressions exactly, or the planner
-- cannot use the indexes. The 'simple' configuration keeps every word
-- (no stop words, no stemming), as SQLite's FTS5 tables do. fastupdate is
-- off because the catalog is read far more than written: with it on, new
-- entries wait in a pending list that every search scans until vacuum
-- merges it (on the benchmark catalog, a person search took 6.8 ms with
-- the list and 0.07 ms without).
CREATE INDEX movies_title_search_idx ON movies
    USING gin (to_tsvector('simple', search_fold(title))) WITH (fastupdate = off);
CREATE INDEX persons_name_search_idx ON persons
    USING gin (to_tsvector('simple', search_fold(first_name || ' ' || last_name))) WITH (fastupdate = off);

-- Lists sort titles without regard to case; unfiltered, a page of them
-- comes straight off this index.
CREATE INDEX movies_title_lower_idx ON movies (lower(title), id);
