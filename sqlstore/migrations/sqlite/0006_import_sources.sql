-- SQLite twin of migrations/postgres/0006_import_sources.sql.
-- Bookkeeping of `moviedb import`: where each imported movie and person
-- came from, so that importing a file again adds nothing, films of the same
-- title and year with different source links stay apart, and an import
-- stopped half-way finishes when rerun.

CREATE TABLE import_sources (
    source      TEXT NOT NULL,
    external_id TEXT NOT NULL,
    movie_id    INTEGER NOT NULL REFERENCES movies (id) ON DELETE CASCADE,
    CONSTRAINT import_sources_pkey PRIMARY KEY (source, external_id)
);
CREATE INDEX import_sources_movie_id_idx ON import_sources (movie_id);

-- Persons with an identity in their source (an IMDb nconst): two people of
-- the same name stay two persons.
CREATE TABLE import_person_sources (
    source      TEXT NOT NULL,
    external_id TEXT NOT NULL,
    person_id   INTEGER NOT NULL REFERENCES persons (id) ON DELETE CASCADE,
    CONSTRAINT import_person_sources_pkey PRIMARY KEY (source, external_id)
);
CREATE INDEX import_person_sources_person_id_idx ON import_person_sources (person_id, source);

-- Names read from IMDb's name.basics during an import, looked up by the
-- title files' nconsts; emptied when the import ends.
CREATE TABLE import_names (
    nconst     TEXT PRIMARY KEY,
    name       TEXT NOT NULL,
    birth_year INTEGER
);

-- Persons are matched by name ignoring case.
CREATE INDEX persons_lower_name_idx ON persons (lower(last_name), lower(first_name));
