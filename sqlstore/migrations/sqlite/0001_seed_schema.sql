-- SQLite twin of migrations/postgres/0001_seed_schema.sql. SQLite's lower()
-- folds ASCII letters only, so case-insensitive uniqueness is ASCII-only here.
-- Its loose typing is held in by CHECKs on the typed columns.
-- The eleven tables of the seed schema (shared/seed-schema.md) with exactly
-- its table and column names, plus the constraints and indexes a careful DBA
-- adds. Constraint and index names are the same in both engines: the store
-- maps them to typed errors.

CREATE TABLE countries (
    id          INTEGER PRIMARY KEY,
    name        TEXT NOT NULL CONSTRAINT countries_name_check CHECK (trim(name, ' ' || char(9, 10, 11, 12, 13)) <> ''),
    "createdAt" TIMESTAMP NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%f+00:00', 'now')),
    "updatedAt" TIMESTAMP NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%f+00:00', 'now'))
);
CREATE UNIQUE INDEX countries_name_key ON countries (lower(name));

CREATE TABLE img_files (
    id          INTEGER PRIMARY KEY,
    file_name   TEXT NOT NULL,
    mime_type   TEXT NOT NULL,
    key         TEXT NOT NULL CONSTRAINT img_files_key_check CHECK (length(key) > 0),
    url         TEXT NOT NULL,
    "createdAt" TIMESTAMP NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%f+00:00', 'now')),
    "updatedAt" TIMESTAMP NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%f+00:00', 'now'))
);
CREATE UNIQUE INDEX img_files_key_key ON img_files (key);

CREATE TABLE users (
    id             INTEGER PRIMARY KEY,
    username       TEXT NOT NULL CONSTRAINT users_username_check CHECK (length(username) > 0),
    first_name     TEXT NOT NULL DEFAULT '',
    last_name      TEXT NOT NULL DEFAULT '',
    email          TEXT NOT NULL CONSTRAINT users_email_check CHECK (length(email) > 0),
    password       TEXT NOT NULL,
    avatar_file_id INTEGER REFERENCES img_files (id) ON DELETE SET NULL,
    "createdAt"    TIMESTAMP NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%f+00:00', 'now')),
    "updatedAt"    TIMESTAMP NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%f+00:00', 'now'))
);
CREATE UNIQUE INDEX users_username_key ON users (lower(username));
CREATE UNIQUE INDEX users_email_key ON users (lower(email));
CREATE INDEX users_avatar_file_id_idx ON users (avatar_file_id);

CREATE TABLE persons (
    id            INTEGER PRIMARY KEY,
    first_name    TEXT NOT NULL CONSTRAINT persons_first_name_check CHECK (trim(first_name, ' ' || char(9, 10, 11, 12, 13)) <> ''),
    last_name     TEXT NOT NULL DEFAULT '',
    biography     TEXT,
    date_of_birth DATE CONSTRAINT persons_date_of_birth_check CHECK (date_of_birth IS NULL OR date(date_of_birth) = date_of_birth),
    gender        TEXT CONSTRAINT persons_gender_check CHECK (gender IN ('female', 'male', 'non-binary', 'other')),
    country_id    INTEGER REFERENCES countries (id) ON DELETE RESTRICT,
    "createdAt"   TIMESTAMP NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%f+00:00', 'now')),
    "updatedAt"   TIMESTAMP NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%f+00:00', 'now'))
);
CREATE INDEX persons_country_id_idx ON persons (country_id);
CREATE INDEX persons_name_idx ON persons (last_name, first_name);

CREATE TABLE person_photo (
    person_id   INTEGER NOT NULL REFERENCES persons (id) ON DELETE CASCADE,
    file_id     INTEGER NOT NULL REFERENCES img_files (id) ON DELETE CASCADE,
    is_primary  BOOLEAN NOT NULL DEFAULT 0 CONSTRAINT person_photo_is_primary_check CHECK (is_primary IN (0, 1)),
    "createdAt" TIMESTAMP NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%f+00:00', 'now')),
    "updatedAt" TIMESTAMP NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%f+00:00', 'now')),
    CONSTRAINT person_photo_pkey PRIMARY KEY (person_id, file_id)
);
CREATE INDEX person_photo_file_id_idx ON person_photo (file_id);
CREATE UNIQUE INDEX person_photo_one_primary ON person_photo (person_id) WHERE is_primary = 1;

CREATE TABLE movies (
    id             INTEGER PRIMARY KEY,
    title          TEXT NOT NULL CONSTRAINT movies_title_check CHECK (trim(title, ' ' || char(9, 10, 11, 12, 13)) <> ''),
    description    TEXT,
    budget         NUMERIC CONSTRAINT movies_budget_check CHECK (budget IS NULL OR (typeof(budget) IN ('integer', 'real') AND budget >= 0)),
    release_date   DATE CONSTRAINT movies_release_date_check CHECK (release_date IS NULL OR date(release_date) = release_date),
    duration       INTEGER CONSTRAINT movies_duration_check CHECK (duration IS NULL OR (typeof(duration) = 'integer' AND duration BETWEEN 1 AND 1000)),
    director_id    INTEGER REFERENCES persons (id) ON DELETE RESTRICT,
    country_id     INTEGER REFERENCES countries (id) ON DELETE RESTRICT,
    poster_file_id INTEGER REFERENCES img_files (id) ON DELETE SET NULL,
    "createdAt"    TIMESTAMP NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%f+00:00', 'now')),
    "updatedAt"    TIMESTAMP NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%f+00:00', 'now'))
);
CREATE INDEX movies_director_id_idx ON movies (director_id);
CREATE INDEX movies_country_id_idx ON movies (country_id);
CREATE INDEX movies_poster_file_id_idx ON movies (poster_file_id);
CREATE INDEX movies_release_date_idx ON movies (release_date, id);
CREATE INDEX movies_budget_idx ON movies (budget, id);
CREATE INDEX movies_duration_idx ON movies (duration, id);
CREATE INDEX movies_title_idx ON movies (title, id);
CREATE INDEX movies_created_at_idx ON movies ("createdAt", id);

CREATE TABLE genres (
    id          INTEGER PRIMARY KEY,
    name        TEXT NOT NULL CONSTRAINT genres_name_check CHECK (trim(name, ' ' || char(9, 10, 11, 12, 13)) <> ''),
    "createdAt" TIMESTAMP NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%f+00:00', 'now')),
    "updatedAt" TIMESTAMP NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%f+00:00', 'now'))
);
CREATE UNIQUE INDEX genres_name_key ON genres (lower(name));

CREATE TABLE movie_genres (
    movie_id    INTEGER NOT NULL REFERENCES movies (id) ON DELETE CASCADE,
    genre_id    INTEGER NOT NULL REFERENCES genres (id) ON DELETE CASCADE,
    "createdAt" TIMESTAMP NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%f+00:00', 'now')),
    "updatedAt" TIMESTAMP NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%f+00:00', 'now')),
    CONSTRAINT movie_genres_pkey PRIMARY KEY (movie_id, genre_id)
);
CREATE INDEX movie_genres_genre_id_idx ON movie_genres (genre_id, movie_id);

CREATE TABLE characters (
    id          INTEGER PRIMARY KEY,
    name        TEXT NOT NULL CONSTRAINT characters_name_check CHECK (trim(name, ' ' || char(9, 10, 11, 12, 13)) <> ''),
    description TEXT,
    role        TEXT NOT NULL CONSTRAINT characters_role_check CHECK (role IN ('leading', 'supporting', 'background')),
    "createdAt" TIMESTAMP NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%f+00:00', 'now')),
    "updatedAt" TIMESTAMP NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%f+00:00', 'now'))
);
CREATE INDEX characters_name_idx ON characters (name);

CREATE TABLE movie_characters (
    movie_id     INTEGER NOT NULL REFERENCES movies (id) ON DELETE CASCADE,
    character_id INTEGER NOT NULL REFERENCES characters (id) ON DELETE CASCADE,
    -- A deleted actor leaves the character in the movie, played by nobody known.
    person_id    INTEGER REFERENCES persons (id) ON DELETE SET NULL,
    "createdAt"  TIMESTAMP NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%f+00:00', 'now')),
    "updatedAt"  TIMESTAMP NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%f+00:00', 'now')),
    CONSTRAINT movie_characters_pkey PRIMARY KEY (movie_id, character_id)
);
CREATE INDEX movie_characters_character_id_idx ON movie_characters (character_id);
CREATE INDEX movie_characters_person_id_idx ON movie_characters (person_id, movie_id);

CREATE TABLE favorite_movies (
    user_id     INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    movie_id    INTEGER NOT NULL REFERENCES movies (id) ON DELETE CASCADE,
    "createdAt" TIMESTAMP NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%f+00:00', 'now')),
    "updatedAt" TIMESTAMP NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%f+00:00', 'now')),
    CONSTRAINT favorite_movies_pkey PRIMARY KEY (user_id, movie_id)
);
CREATE INDEX favorite_movies_movie_id_idx ON favorite_movies (movie_id);
CREATE INDEX favorite_movies_user_created_idx ON favorite_movies (user_id, "createdAt");
