-- Keyset pagination: each list's ORDER BY, id last, is the whole of an
-- index, so a page (from a cursor or the first) starts where an index
-- lookup lands and reads only its own rows, however deep it is. SQLite
-- ends every index with the rowid, which is id in these tables, so
-- persons_lower_name_idx already serves the persons list.
--
-- The characters list sorts by lower(name), id, which no index served:
-- every page sorted the whole table.
CREATE INDEX characters_name_id_idx ON characters (lower(name));
-- A person's directed movies, newest release first as the person detail
-- and the filmography list show them (NULLs sort last in SQLite's DESC):
-- the index hands them out in order, so the first page reads only its
-- rows. It serves every lookup by director_id, which
-- movies_director_id_idx served.
CREATE INDEX movies_director_release_idx ON movies (director_id, release_date DESC);
DROP INDEX movies_director_id_idx;
