-- Keyset pagination: each list's ORDER BY, id last, is the whole of an
-- index, so a page (from a cursor or the first) starts where an index
-- lookup lands and reads only its own rows, however deep it is.
--
-- The persons list sorts by lower(last_name), lower(first_name), id:
-- persons_lower_name_idx lacked the id, so a page after a cursor scanned
-- from the start of the name it stopped in; the new index replaces it for
-- every lookup it served.
CREATE INDEX persons_name_id_idx ON persons (lower(last_name), lower(first_name), id);
DROP INDEX persons_lower_name_idx;
-- The characters list sorts by lower(name), id, which no index served:
-- every page sorted the whole table.
CREATE INDEX characters_name_id_idx ON characters (lower(name), id);
-- A person's directed movies, newest release first as the person detail
-- and the filmography list show them: the index hands them out in order,
-- so the first page reads only its rows. It serves every lookup by
-- director_id, which movies_director_id_idx served.
CREATE INDEX movies_director_release_idx ON movies (director_id, release_date DESC NULLS LAST, id);
DROP INDEX movies_director_id_idx;
