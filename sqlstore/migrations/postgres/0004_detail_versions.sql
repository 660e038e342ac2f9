-- A version per movie that changes, in the same transaction, with every
-- write that can change the movie's detail (its row, poster, country,
-- director and their photo, genres, cast, actors and their photos,
-- favorites count). A cached detail tagged with the version it was read
-- with is current exactly while the version is unchanged, whatever instance
-- made the write.
--
-- Versions are drawn from one sequence, so no two writes ever give a movie
-- the same version (not even a movie deleted and another made with its id);
-- they are compared for equality only, never for order. Deletes need no
-- triggers of their own: they reach the detail through ON DELETE CASCADE /
-- SET NULL on the join rows and movies, which fire the row triggers of the
-- rows they change.

CREATE SEQUENCE movie_detail_version_seq;

CREATE TABLE movie_detail_versions (
    movie_id bigint PRIMARY KEY REFERENCES movies (id) ON DELETE CASCADE,
    version  bigint NOT NULL
);
INSERT INTO movie_detail_versions (movie_id, version)
    SELECT id, nextval('movie_detail_version_seq') FROM movies;

-- movie_detail_bump gives each movie of ids a new version. It locks the
-- rows in id order first, so that two writes bumping overlapping sets of
-- movies (a genre renamed while a movie changes genres) queue rather than
-- deadlock.
CREATE FUNCTION movie_detail_bump(ids bigint[]) RETURNS void
LANGUAGE sql AS $$
    UPDATE movie_detail_versions v SET version = nextval('movie_detail_version_seq')
    FROM (SELECT movie_id FROM movie_detail_versions WHERE movie_id = ANY (ids)
          ORDER BY movie_id FOR UPDATE) l
    WHERE v.movie_id = l.movie_id;
$$;

CREATE FUNCTION movie_detail_movies() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO movie_detail_versions (movie_id, version)
            VALUES (NEW.id, nextval('movie_detail_version_seq'));
    ELSE
        PERFORM movie_detail_bump(ARRAY[OLD.id, NEW.id]);
    END IF;
    RETURN NULL;
END;
$$;
CREATE TRIGGER movie_detail_movies AFTER INSERT OR UPDATE ON movies
    FOR EACH ROW EXECUTE FUNCTION movie_detail_movies();

-- movie_detail_movie_row bumps the movie a genre link, cast row or
-- favorite names, before and after the write.
CREATE FUNCTION movie_detail_movie_row() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        PERFORM movie_detail_bump(ARRAY[NEW.movie_id]);
    ELSIF TG_OP = 'DELETE' THEN
        PERFORM movie_detail_bump(ARRAY[OLD.movie_id]);
    ELSE
        PERFORM movie_detail_bump(ARRAY[OLD.movie_id, NEW.movie_id]);
    END IF;
    RETURN NULL;
END;
$$;
CREATE TRIGGER movie_detail_movie_genres AFTER INSERT OR UPDATE OR DELETE ON movie_genres
    FOR EACH ROW EXECUTE FUNCTION movie_detail_movie_row();
CREATE TRIGGER movie_detail_movie_characters AFTER INSERT OR UPDATE OR DELETE ON movie_characters
    FOR EACH ROW EXECUTE FUNCTION movie_detail_movie_row();
CREATE TRIGGER movie_detail_favorite_movies AFTER INSERT OR UPDATE OF movie_id OR DELETE ON favorite_movies
    FOR EACH ROW EXECUTE FUNCTION movie_detail_movie_row();

CREATE FUNCTION movie_detail_genres() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM movie_detail_bump(ARRAY(
        SELECT movie_id FROM movie_genres WHERE genre_id IN (OLD.id, NEW.id)));
    RETURN NULL;
END;
$$;
CREATE TRIGGER movie_detail_genres AFTER UPDATE ON genres
    FOR EACH ROW EXECUTE FUNCTION movie_detail_genres();

CREATE FUNCTION movie_detail_characters() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM movie_detail_bump(ARRAY(
        SELECT movie_id FROM movie_characters WHERE character_id IN (OLD.id, NEW.id)));
    RETURN NULL;
END;
$$;
CREATE TRIGGER movie_detail_characters AFTER UPDATE ON characters
    FOR EACH ROW EXECUTE FUNCTION movie_detail_characters();

CREATE FUNCTION movie_detail_countries() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM movie_detail_bump(ARRAY(
        SELECT id FROM movies WHERE country_id IN (OLD.id, NEW.id)));
    RETURN NULL;
END;
$$;
CREATE TRIGGER movie_detail_countries AFTER UPDATE ON countries
    FOR EACH ROW EXECUTE FUNCTION movie_detail_countries();

-- movie_detail_person_movies returns the movies persons direct or act in:
-- those whose detail shows them with their primary photo.
CREATE FUNCTION movie_detail_person_movies(persons bigint[]) RETURNS bigint[]
LANGUAGE sql STABLE AS $$
    SELECT ARRAY(
        SELECT id FROM movies WHERE director_id = ANY (persons)
        UNION SELECT movie_id FROM movie_characters WHERE person_id = ANY (persons));
$$;

CREATE FUNCTION movie_detail_persons() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM movie_detail_bump(movie_detail_person_movies(ARRAY[OLD.id, NEW.id]));
    RETURN NULL;
END;
$$;
CREATE TRIGGER movie_detail_persons AFTER UPDATE ON persons
    FOR EACH ROW EXECUTE FUNCTION movie_detail_persons();

CREATE FUNCTION movie_detail_person_photo() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        PERFORM movie_detail_bump(movie_detail_person_movies(ARRAY[NEW.person_id]));
    ELSIF TG_OP = 'DELETE' THEN
        PERFORM movie_detail_bump(movie_detail_person_movies(ARRAY[OLD.person_id]));
    ELSE
        PERFORM movie_detail_bump(movie_detail_person_movies(ARRAY[OLD.person_id, NEW.person_id]));
    END IF;
    RETURN NULL;
END;
$$;
CREATE TRIGGER movie_detail_person_photo AFTER INSERT OR UPDATE OR DELETE ON person_photo
    FOR EACH ROW EXECUTE FUNCTION movie_detail_person_photo();

CREATE FUNCTION movie_detail_img_files() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM movie_detail_bump(
        ARRAY(SELECT id FROM movies WHERE poster_file_id IN (OLD.id, NEW.id))
        || movie_detail_person_movies(ARRAY(
            SELECT person_id FROM person_photo WHERE file_id IN (OLD.id, NEW.id))));
    RETURN NULL;
END;
$$;
CREATE TRIGGER movie_detail_img_files AFTER UPDATE ON img_files
    FOR EACH ROW EXECUTE FUNCTION movie_detail_img_files();
