-- SQLite twin of migrations/postgres/0011_search_at_scale.sql.
-- Searches whose cost does not grow with the catalog.
--
-- movie_stats keeps each movie's favorites count, so that a search sorted
-- by popularity reads its page off an index in order instead of counting
-- every movie's favorites and sorting them all. It is a side table rather
-- than a column of movies because movies is a seed table whose columns are
-- fixed. Every movie has a row: triggers add it with the movie, move the
-- count with every favorite added, moved or removed, and drop it with the
-- movie, in the writing transaction, so the count is exact at every commit
-- whatever writes (the API, an import, a restore).
CREATE TABLE movie_stats (
    movie_id        INTEGER PRIMARY KEY,
    favorites_count INTEGER NOT NULL DEFAULT 0
);

-- A movie written before its favorites (a restore of rows in another
-- order) starts from the favorites it has already.
CREATE TRIGGER movie_stats_movies_insert AFTER INSERT ON movies BEGIN
    INSERT INTO movie_stats (movie_id, favorites_count)
        VALUES (new.id, (SELECT count(*) FROM favorite_movies f WHERE f.movie_id = new.id));
END;

CREATE TRIGGER movie_stats_movies_delete AFTER DELETE ON movies BEGIN
    DELETE FROM movie_stats WHERE movie_id = old.id;
END;

CREATE TRIGGER movie_stats_favorite_movies_insert AFTER INSERT ON favorite_movies BEGIN
    UPDATE movie_stats SET favorites_count = favorites_count + 1 WHERE movie_id = new.movie_id;
END;

CREATE TRIGGER movie_stats_favorite_movies_delete AFTER DELETE ON favorite_movies BEGIN
    UPDATE movie_stats SET favorites_count = favorites_count - 1 WHERE movie_id = old.movie_id;
END;

CREATE TRIGGER movie_stats_favorite_movies_update AFTER UPDATE OF movie_id ON favorite_movies
WHEN new.movie_id IS NOT old.movie_id BEGIN
    UPDATE movie_stats SET favorites_count = favorites_count - 1 WHERE movie_id = old.movie_id;
    UPDATE movie_stats SET favorites_count = favorites_count + 1 WHERE movie_id = new.movie_id;
END;

INSERT INTO movie_stats (movie_id, favorites_count)
    SELECT m.id, (SELECT count(*) FROM favorite_movies f WHERE f.movie_id = m.id) FROM movies m;

-- Popularity pages in both directions, ties by movie id ascending as in
-- every movie order: one index per direction, since an index read
-- backwards would order the ties by descending id.
CREATE INDEX movie_stats_favorites_idx ON movie_stats (favorites_count, movie_id);
CREATE INDEX movie_stats_favorites_desc_idx ON movie_stats (favorites_count DESC, movie_id);

-- "Recently added" (the home page) sorts by createdAt descending, and an
-- import gives a whole batch of movies one createdAt: read backwards,
-- movies_created_at_idx would order each batch by descending id, and the
-- first page would sort the whole latest batch.
CREATE INDEX movies_created_at_desc_idx ON movies ("createdAt" DESC, id);

-- movie_genre_releases repeats each genre link with its movie's release
-- date, so that the movies of a genre in a span of years, newest first,
-- are one range of one index: a page stops after its rows and a count
-- after its bound, however common the genre or rare the years. Neither
-- movie_genres (whose columns are fixed) nor movies (whose indexes cannot
-- reach a genre) can hold that range. Triggers keep it in the writing
-- transaction: with every link added, moved or removed (also by the
-- cascade of a movie's delete) and every release date changed.
CREATE TABLE movie_genre_releases (
    movie_id     INTEGER NOT NULL,
    genre_id     INTEGER NOT NULL,
    release_date DATE,
    PRIMARY KEY (movie_id, genre_id)
) WITHOUT ROWID;

CREATE TRIGGER movie_genre_releases_insert AFTER INSERT ON movie_genres BEGIN
    INSERT INTO movie_genre_releases (movie_id, genre_id, release_date)
        SELECT new.movie_id, new.genre_id, m.release_date FROM movies m WHERE m.id = new.movie_id;
END;

CREATE TRIGGER movie_genre_releases_delete AFTER DELETE ON movie_genres BEGIN
    DELETE FROM movie_genre_releases WHERE movie_id = old.movie_id AND genre_id = old.genre_id;
END;

CREATE TRIGGER movie_genre_releases_update AFTER UPDATE OF movie_id, genre_id ON movie_genres BEGIN
    DELETE FROM movie_genre_releases WHERE movie_id = old.movie_id AND genre_id = old.genre_id;
    INSERT INTO movie_genre_releases (movie_id, genre_id, release_date)
        SELECT new.movie_id, new.genre_id, m.release_date FROM movies m WHERE m.id = new.movie_id;
END;

CREATE TRIGGER movie_genre_releases_movies_update AFTER UPDATE OF release_date ON movies
WHEN new.release_date IS NOT old.release_date BEGIN
    UPDATE movie_genre_releases SET release_date = new.release_date WHERE movie_id = new.id;
END;

CREATE TRIGGER movie_genre_releases_movies_delete AFTER DELETE ON movies BEGIN
    DELETE FROM movie_genre_releases WHERE movie_id = old.id;
END;

INSERT INTO movie_genre_releases (movie_id, genre_id, release_date)
    SELECT mg.movie_id, mg.genre_id, m.release_date FROM movie_genres mg JOIN movies m ON m.id = mg.movie_id;

CREATE INDEX movie_genre_releases_genre_idx ON movie_genre_releases (genre_id, release_date, movie_id);
