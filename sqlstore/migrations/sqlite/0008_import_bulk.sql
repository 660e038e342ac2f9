-- SQLite's counterpart of the bulk mode of migrations/postgres/0006:
-- an import writes the genre links and cast of the movies it creates in
-- the same transaction, whose versions the movies' own insert has just
-- set, so bumping them again for each of those rows changes nothing a
-- reader can see, and cost an eighth of an import's time.
--
-- SQLite has no session settings, and triggers of the main schema cannot
-- read TEMP tables, so the import transaction marks itself with a row of
-- import_bulk: the first movie id it creates. It deletes the row before it
-- commits, so no other transaction ever sees one, and a crash rolls it
-- back. Links of movies from that id up skip the bump; every other write,
-- and any link of an older movie, bumps as before.

CREATE TABLE import_bulk (
    first_movie_id INTEGER NOT NULL
);

DROP TRIGGER movie_detail_movie_genres_insert;
CREATE TRIGGER movie_detail_movie_genres_insert AFTER INSERT ON movie_genres
WHEN NOT EXISTS (SELECT 1 FROM import_bulk WHERE new.movie_id >= first_movie_id) BEGIN
    UPDATE movie_detail_version_clock SET n = n + 1;
    UPDATE movie_detail_versions SET version = (SELECT n FROM movie_detail_version_clock)
        WHERE movie_id = new.movie_id;
END;

DROP TRIGGER movie_detail_movie_characters_insert;
CREATE TRIGGER movie_detail_movie_characters_insert AFTER INSERT ON movie_characters
WHEN NOT EXISTS (SELECT 1 FROM import_bulk WHERE new.movie_id >= first_movie_id) BEGIN
    UPDATE movie_detail_version_clock SET n = n + 1;
    UPDATE movie_detail_versions SET version = (SELECT n FROM movie_detail_version_clock)
        WHERE movie_id = new.movie_id;
END;
