-- Bookkeeping of `moviedb import`: where each imported movie and person
-- came from, so that importing a file again adds nothing, films of the same
-- title and year with different source links stay apart, and an import
-- stopped half-way finishes when rerun.

CREATE TABLE import_sources (
    source      text NOT NULL,
    external_id text NOT NULL,
    movie_id    bigint NOT NULL REFERENCES movies (id) ON DELETE CASCADE,
    CONSTRAINT import_sources_pkey PRIMARY KEY (source, external_id)
);
CREATE INDEX import_sources_movie_id_idx ON import_sources (movie_id);

-- Persons with an identity in their source (an IMDb nconst): two people of
-- the same name stay two persons.
CREATE TABLE import_person_sources (
    source      text NOT NULL,
    external_id text NOT NULL,
    person_id   bigint NOT NULL REFERENCES persons (id) ON DELETE CASCADE,
    CONSTRAINT import_person_sources_pkey PRIMARY KEY (source, external_id)
);
CREATE INDEX import_person_sources_person_id_idx ON import_person_sources (person_id, source);

-- Names read from IMDb's name.basics during an import, looked up by the
-- title files' nconsts; emptied when the import ends.
CREATE TABLE import_names (
    nconst     text PRIMARY KEY,
    name       text NOT NULL,
    birth_year integer
);

-- Persons are matched by name ignoring case.
CREATE INDEX persons_lower_name_idx ON persons (lower(last_name), lower(first_name));

-- An import writes the genre links and cast of movies it creates in the
-- same transaction, whose versions the movies' own insert has just set:
-- bumping them again for each of those rows changes nothing a reader can
-- see, and cost most of an import's time. The import transaction sets
-- moviedb.bulk_new_movies locally; every other write bumps as before.
DROP TRIGGER movie_detail_movie_genres ON movie_genres;
DROP TRIGGER movie_detail_movie_characters ON movie_characters;
CREATE TRIGGER movie_detail_movie_genres AFTER INSERT OR UPDATE OR DELETE ON movie_genres
    FOR EACH ROW WHEN (current_setting('moviedb.bulk_new_movies', true) IS DISTINCT FROM 'on')
    EXECUTE FUNCTION movie_detail_movie_row();
CREATE TRIGGER movie_detail_movie_characters AFTER INSERT OR UPDATE OR DELETE ON movie_characters
    FOR EACH ROW WHEN (current_setting('moviedb.bulk_new_movies', true) IS DISTINCT FROM 'on')
    EXECUTE FUNCTION movie_detail_movie_row();
