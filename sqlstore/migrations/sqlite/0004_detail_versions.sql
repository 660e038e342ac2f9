-- SQLite twin of migrations/postgres/0004_detail_versions.sql.
-- A version per movie that changes, in the same transaction, with every
-- write that can change the movie's detail (its row, poster, country,
-- director and their photo, genres, cast, actors and their photos,
-- favorites count). A cached detail tagged with the version it was read
-- with is current exactly while the version is unchanged, whatever instance
-- made the write.
--
-- Versions come from one counter for all movies, never reused: a movie
-- deleted and another made with its id must not meet an old version.
-- Writes are serialized on SQLite, so the counter costs no contention.
-- Deletes need no triggers of their own: they reach the detail through
-- ON DELETE CASCADE / SET NULL on the join rows and movies, and SQLite's
-- foreign-key actions fire the triggers of the rows they change.

CREATE TABLE movie_detail_version_clock (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    n  INTEGER NOT NULL
);
INSERT INTO movie_detail_version_clock (id, n) VALUES (1, 1);

CREATE TABLE movie_detail_versions (
    movie_id INTEGER PRIMARY KEY REFERENCES movies (id) ON DELETE CASCADE,
    version  INTEGER NOT NULL
);
INSERT INTO movie_detail_versions (movie_id, version) SELECT id, 1 FROM movies;

CREATE TRIGGER movie_detail_movies_insert AFTER INSERT ON movies BEGIN
    UPDATE movie_detail_version_clock SET n = n + 1;
    INSERT INTO movie_detail_versions (movie_id, version)
        VALUES (new.id, (SELECT n FROM movie_detail_version_clock));
END;

CREATE TRIGGER movie_detail_movies_update AFTER UPDATE ON movies BEGIN
    UPDATE movie_detail_version_clock SET n = n + 1;
    UPDATE movie_detail_versions SET version = (SELECT n FROM movie_detail_version_clock)
        WHERE movie_id IN (old.id, new.id);
END;

-- Rows that name their movie: genre links, cast rows, favorites.

CREATE TRIGGER movie_detail_movie_genres_insert AFTER INSERT ON movie_genres BEGIN
    UPDATE movie_detail_version_clock SET n = n + 1;
    UPDATE movie_detail_versions SET version = (SELECT n FROM movie_detail_version_clock)
        WHERE movie_id = new.movie_id;
END;

CREATE TRIGGER movie_detail_movie_genres_update AFTER UPDATE ON movie_genres BEGIN
    UPDATE movie_detail_version_clock SET n = n + 1;
    UPDATE movie_detail_versions SET version = (SELECT n FROM movie_detail_version_clock)
        WHERE movie_id IN (old.movie_id, new.movie_id);
END;

CREATE TRIGGER movie_detail_movie_genres_delete AFTER DELETE ON movie_genres BEGIN
    UPDATE movie_detail_version_clock SET n = n + 1;
    UPDATE movie_detail_versions SET version = (SELECT n FROM movie_detail_version_clock)
        WHERE movie_id = old.movie_id;
END;

CREATE TRIGGER movie_detail_movie_characters_insert AFTER INSERT ON movie_characters BEGIN
    UPDATE movie_detail_version_clock SET n = n + 1;
    UPDATE movie_detail_versions SET version = (SELECT n FROM movie_detail_version_clock)
        WHERE movie_id = new.movie_id;
END;

CREATE TRIGGER movie_detail_movie_characters_update AFTER UPDATE ON movie_characters BEGIN
    UPDATE movie_detail_version_clock SET n = n + 1;
    UPDATE movie_detail_versions SET version = (SELECT n FROM movie_detail_version_clock)
        WHERE movie_id IN (old.movie_id, new.movie_id);
END;

CREATE TRIGGER movie_detail_movie_characters_delete AFTER DELETE ON movie_characters BEGIN
    UPDATE movie_detail_version_clock SET n = n + 1;
    UPDATE movie_detail_versions SET version = (SELECT n FROM movie_detail_version_clock)
        WHERE movie_id = old.movie_id;
END;

CREATE TRIGGER movie_detail_favorite_movies_insert AFTER INSERT ON favorite_movies BEGIN
    UPDATE movie_detail_version_clock SET n = n + 1;
    UPDATE movie_detail_versions SET version = (SELECT n FROM movie_detail_version_clock)
        WHERE movie_id = new.movie_id;
END;

CREATE TRIGGER movie_detail_favorite_movies_update AFTER UPDATE OF movie_id ON favorite_movies BEGIN
    UPDATE movie_detail_version_clock SET n = n + 1;
    UPDATE movie_detail_versions SET version = (SELECT n FROM movie_detail_version_clock)
        WHERE movie_id IN (old.movie_id, new.movie_id);
END;

CREATE TRIGGER movie_detail_favorite_movies_delete AFTER DELETE ON favorite_movies BEGIN
    UPDATE movie_detail_version_clock SET n = n + 1;
    UPDATE movie_detail_versions SET version = (SELECT n FROM movie_detail_version_clock)
        WHERE movie_id = old.movie_id;
END;

-- Rows a detail shows through a join: every movie that joins them.

CREATE TRIGGER movie_detail_genres_update AFTER UPDATE ON genres BEGIN
    UPDATE movie_detail_version_clock SET n = n + 1;
    UPDATE movie_detail_versions SET version = (SELECT n FROM movie_detail_version_clock)
        WHERE movie_id IN (SELECT movie_id FROM movie_genres WHERE genre_id IN (old.id, new.id));
END;

CREATE TRIGGER movie_detail_characters_update AFTER UPDATE ON characters BEGIN
    UPDATE movie_detail_version_clock SET n = n + 1;
    UPDATE movie_detail_versions SET version = (SELECT n FROM movie_detail_version_clock)
        WHERE movie_id IN (SELECT movie_id FROM movie_characters WHERE character_id IN (old.id, new.id));
END;

CREATE TRIGGER movie_detail_countries_update AFTER UPDATE ON countries BEGIN
    UPDATE movie_detail_version_clock SET n = n + 1;
    UPDATE movie_detail_versions SET version = (SELECT n FROM movie_detail_version_clock)
        WHERE movie_id IN (SELECT id FROM movies WHERE country_id IN (old.id, new.id));
END;

-- A person shows in the movies they direct and those they act in, with
-- their primary photo.

CREATE TRIGGER movie_detail_persons_update AFTER UPDATE ON persons BEGIN
    UPDATE movie_detail_version_clock SET n = n + 1;
    UPDATE movie_detail_versions SET version = (SELECT n FROM movie_detail_version_clock)
        WHERE movie_id IN (
            SELECT id FROM movies WHERE director_id IN (old.id, new.id)
            UNION SELECT movie_id FROM movie_characters WHERE person_id IN (old.id, new.id));
END;

CREATE TRIGGER movie_detail_person_photo_insert AFTER INSERT ON person_photo BEGIN
    UPDATE movie_detail_version_clock SET n = n + 1;
    UPDATE movie_detail_versions SET version = (SELECT n FROM movie_detail_version_clock)
        WHERE movie_id IN (
            SELECT id FROM movies WHERE director_id = new.person_id
            UNION SELECT movie_id FROM movie_characters WHERE person_id = new.person_id);
END;

CREATE TRIGGER movie_detail_person_photo_update AFTER UPDATE ON person_photo BEGIN
    UPDATE movie_detail_version_clock SET n = n + 1;
    UPDATE movie_detail_versions SET version = (SELECT n FROM movie_detail_version_clock)
        WHERE movie_id IN (
            SELECT id FROM movies WHERE director_id IN (old.person_id, new.person_id)
            UNION SELECT movie_id FROM movie_characters WHERE person_id IN (old.person_id, new.person_id));
END;

CREATE TRIGGER movie_detail_person_photo_delete AFTER DELETE ON person_photo BEGIN
    UPDATE movie_detail_version_clock SET n = n + 1;
    UPDATE movie_detail_versions SET version = (SELECT n FROM movie_detail_version_clock)
        WHERE movie_id IN (
            SELECT id FROM movies WHERE director_id = old.person_id
            UNION SELECT movie_id FROM movie_characters WHERE person_id = old.person_id);
END;

-- A file shows as a poster, and as the photo of a director or an actor.

CREATE TRIGGER movie_detail_img_files_update AFTER UPDATE ON img_files BEGIN
    UPDATE movie_detail_version_clock SET n = n + 1;
    UPDATE movie_detail_versions SET version = (SELECT n FROM movie_detail_version_clock)
        WHERE movie_id IN (
            SELECT id FROM movies WHERE poster_file_id IN (old.id, new.id)
            UNION SELECT m.id FROM movies m JOIN person_photo pp ON pp.person_id = m.director_id
                WHERE pp.file_id IN (old.id, new.id)
            UNION SELECT mc.movie_id FROM movie_characters mc JOIN person_photo pp ON pp.person_id = mc.person_id
                WHERE pp.file_id IN (old.id, new.id));
END;
