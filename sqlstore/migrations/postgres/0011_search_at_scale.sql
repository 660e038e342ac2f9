-- Searches whose cost does not grow with the catalog.
--
-- movie_stats keeps each movie's favorites count, so that a search sorted
-- by popularity reads its page off an index in order instead of counting
-- every movie's favorites and sorting them all. It is a side table rather
-- than a column of movies because movies is a seed table whose columns are
-- fixed. Every movie has a row: triggers add it with the movie, move the
-- count with every favorite added, moved or removed, and drop it with the
-- movie, in the writing transaction, so the count is exact at every commit
-- whatever writes (the API, an import with COPY, a restore). Concurrent
-- favorites of one movie serialize on its row, as they would on a column.
CREATE TABLE movie_stats (
    movie_id        bigint PRIMARY KEY REFERENCES movies (id) ON DELETE CASCADE,
    favorites_count bigint NOT NULL DEFAULT 0
);

CREATE FUNCTION movie_stats_add_movie() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    -- A movie written before its favorites (a restore of rows in another
    -- order) starts from the favorites it has already.
    INSERT INTO movie_stats (movie_id, favorites_count)
        VALUES (NEW.id, (SELECT count(*) FROM favorite_movies f WHERE f.movie_id = NEW.id));
    RETURN NULL;
END $$;

CREATE TRIGGER movie_stats_movies AFTER INSERT ON movies
    FOR EACH ROW EXECUTE FUNCTION movie_stats_add_movie();

CREATE FUNCTION movie_stats_count_favorite() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('DELETE', 'UPDATE') THEN
        UPDATE movie_stats SET favorites_count = favorites_count - 1 WHERE movie_id = OLD.movie_id;
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        UPDATE movie_stats SET favorites_count = favorites_count + 1 WHERE movie_id = NEW.movie_id;
    END IF;
    RETURN NULL;
END $$;

CREATE TRIGGER movie_stats_favorite_movies AFTER INSERT OR DELETE ON favorite_movies
    FOR EACH ROW EXECUTE FUNCTION movie_stats_count_favorite();
CREATE TRIGGER movie_stats_favorite_movies_update AFTER UPDATE OF movie_id ON favorite_movies
    FOR EACH ROW WHEN (NEW.movie_id IS DISTINCT FROM OLD.movie_id) EXECUTE FUNCTION movie_stats_count_favorite();

INSERT INTO movie_stats (movie_id, favorites_count)
    SELECT m.id, count(f.movie_id) FROM movies m LEFT JOIN favorite_movies f ON f.movie_id = m.id GROUP BY m.id;

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
    movie_id     bigint NOT NULL,
    genre_id     bigint NOT NULL,
    release_date date,
    PRIMARY KEY (movie_id, genre_id)
);

CREATE FUNCTION movie_genre_releases_link() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('DELETE', 'UPDATE') THEN
        DELETE FROM movie_genre_releases WHERE movie_id = OLD.movie_id AND genre_id = OLD.genre_id;
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        INSERT INTO movie_genre_releases (movie_id, genre_id, release_date)
            SELECT NEW.movie_id, NEW.genre_id, m.release_date FROM movies m WHERE m.id = NEW.movie_id;
    END IF;
    RETURN NULL;
END $$;

CREATE TRIGGER movie_genre_releases_links AFTER INSERT OR DELETE ON movie_genres
    FOR EACH ROW EXECUTE FUNCTION movie_genre_releases_link();
CREATE TRIGGER movie_genre_releases_links_update AFTER UPDATE OF movie_id, genre_id ON movie_genres
    FOR EACH ROW EXECUTE FUNCTION movie_genre_releases_link();

CREATE FUNCTION movie_genre_releases_movie() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        DELETE FROM movie_genre_releases WHERE movie_id = OLD.id;
    ELSE
        UPDATE movie_genre_releases SET release_date = NEW.release_date WHERE movie_id = NEW.id;
    END IF;
    RETURN NULL;
END $$;

CREATE TRIGGER movie_genre_releases_movies_update AFTER UPDATE OF release_date ON movies
    FOR EACH ROW WHEN (NEW.release_date IS DISTINCT FROM OLD.release_date) EXECUTE FUNCTION movie_genre_releases_movie();
CREATE TRIGGER movie_genre_releases_movies_delete AFTER DELETE ON movies
    FOR EACH ROW EXECUTE FUNCTION movie_genre_releases_movie();

INSERT INTO movie_genre_releases (movie_id, genre_id, release_date)
    SELECT mg.movie_id, mg.genre_id, m.release_date FROM movie_genres mg JOIN movies m ON m.id = mg.movie_id;

CREATE INDEX movie_genre_releases_genre_idx ON movie_genre_releases (genre_id, release_date, movie_id);

ANALYZE movie_stats, movie_genre_releases;
