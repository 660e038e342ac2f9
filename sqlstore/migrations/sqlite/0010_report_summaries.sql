-- SQLite twin of migrations/postgres/0010_report_summaries.sql.
-- The actor-budgets and director-budgets reports read summaries kept
-- current by triggers in the same transaction as the writes that change
-- them, so that a page costs the same in any size of catalog; each
-- report's row count is kept too, for an exact total.
--
-- report_person_budgets holds a row per person listed in a report:
--   'actor':    cents = total budget of the distinct movies the person
--               plays a character in (a movie without a budget adds 0),
--               movies = how many such movies;
--   'director': cents = sum of the budgets of the movies the person
--               directs that have one, movies = how many, and average =
--               their average rounded half up to the cent, in integers.
-- A row goes when its movies count reaches 0. Budgets count in whole
-- cents, as the reports always did (see sqlstore/report.go).
--
-- An actor plays in a movie while at least one cast row names both; the
-- index movie_characters_person_id_idx (person_id, movie_id) answers
-- whether another one does, so no per-(person, movie) count is kept.
-- SQLite fires row triggers row by row, each seeing the rows before it.
--
-- A movie's delete subtracts its budget from its actors' totals before
-- the row goes (BEFORE DELETE): the cast rows its delete cascades to find
-- no movie, so they only take the movie out of each actor's count.
--
-- During an import's bulk mode (import_bulk, migration 0008) the rows of
-- the movies the import creates skip these triggers, and the import adds
-- them up per person once per batch (sqlstore/report.go,
-- refreshBulkReports) before it ends the bulk mode.

CREATE TABLE report_person_budgets (
    report    TEXT NOT NULL,
    person_id INTEGER NOT NULL,
    cents     INTEGER NOT NULL,
    movies    INTEGER NOT NULL,
    average   INTEGER GENERATED ALWAYS AS ((2 * cents + movies) / NULLIF(2 * movies, 0)) STORED,
    PRIMARY KEY (person_id, report)
) WITHOUT ROWID;

CREATE TABLE report_totals (
    report TEXT PRIMARY KEY,
    n      INTEGER NOT NULL
) WITHOUT ROWID;

-- report_movie_cents is the one place the triggers read a movie's budget
-- in cents.
CREATE VIEW report_movie_cents (id, cents) AS
    SELECT id, CAST(round(budget * 100) AS INTEGER) FROM movies;

INSERT INTO report_person_budgets (report, person_id, cents, movies)
    SELECT 'actor', pm.person_id, COALESCE(sum(c.cents), 0), count(*)
    FROM (SELECT DISTINCT person_id, movie_id FROM movie_characters WHERE person_id IS NOT NULL) pm
    JOIN report_movie_cents c ON c.id = pm.movie_id
    GROUP BY pm.person_id;
INSERT INTO report_person_budgets (report, person_id, cents, movies)
    SELECT 'director', m.director_id, sum(m.cents), count(*)
    FROM (SELECT director_id, CAST(round(budget * 100) AS INTEGER) AS cents FROM movies
          WHERE director_id IS NOT NULL AND budget IS NOT NULL) m
    GROUP BY m.director_id;
INSERT INTO report_totals (report, n)
    SELECT 'actor', count(*) FROM report_person_budgets WHERE report = 'actor'
    UNION ALL SELECT 'director', count(*) FROM report_person_budgets WHERE report = 'director'
    UNION ALL SELECT 'users', count(*) FROM users;

-- The reports' orders, read by keyset.
CREATE INDEX report_actor_budgets_idx ON report_person_budgets (cents DESC, person_id) WHERE report = 'actor';
CREATE INDEX report_director_budgets_idx ON report_person_budgets (average DESC, person_id) WHERE report = 'director';
-- recent-movies: newest first, ties by id. Imported release dates are
-- mostly January 1st, so a date is shared by thousands of movies and the
-- ties must come from the index too. The report's query states the
-- index's condition word for word, which SQLite requires to use a partial
-- index: a movie search by release date (ascending, ties by id ascending)
-- cannot use this one and keeps movies_release_date_idx, which serves its
-- whole order (SQLite picks this one for it otherwise, sorting the ties).
CREATE INDEX movies_recent_idx ON movies (release_date DESC, id) WHERE release_date >= '0001-01-01';

-- Inserting (report, person_id, cents, movies) into report_budget_changes
-- adds cents and movies to the person's row in the report, creating it,
-- or removing it when its movies count reaches 0, and keeps the report's
-- count of rows.
CREATE VIEW report_budget_changes (report, person_id, cents, movies) AS
    SELECT report, person_id, cents, movies FROM report_person_budgets WHERE 0;

CREATE TRIGGER report_budget_changes_apply INSTEAD OF INSERT ON report_budget_changes BEGIN
    UPDATE report_totals SET n = n + 1
        WHERE report = new.report AND new.movies > 0 AND NOT EXISTS (
            SELECT 1 FROM report_person_budgets WHERE report = new.report AND person_id = new.person_id);
    INSERT INTO report_person_budgets (report, person_id, cents, movies)
        VALUES (new.report, new.person_id, new.cents, new.movies)
        ON CONFLICT (report, person_id) DO UPDATE
        SET cents = cents + excluded.cents, movies = movies + excluded.movies;
    UPDATE report_totals SET n = n - 1
        WHERE report = new.report AND new.movies < 0 AND EXISTS (
            SELECT 1 FROM report_person_budgets
            WHERE report = new.report AND person_id = new.person_id AND movies = 0);
    DELETE FROM report_person_budgets
        WHERE report = new.report AND person_id = new.person_id AND movies = 0;
END;

-- Movies: their director's row, and their actors' totals when the budget
-- changes.

CREATE TRIGGER report_movies_insert AFTER INSERT ON movies
WHEN new.director_id IS NOT NULL AND new.budget IS NOT NULL
    AND NOT EXISTS (SELECT 1 FROM import_bulk WHERE new.id >= first_movie_id)
BEGIN
    INSERT INTO report_budget_changes (report, person_id, cents, movies)
        SELECT 'director', new.director_id, cents, 1 FROM report_movie_cents WHERE id = new.id;
END;

CREATE TRIGGER report_movies_update AFTER UPDATE OF budget, director_id ON movies
WHEN old.budget IS NOT new.budget OR old.director_id IS NOT new.director_id
BEGIN
    INSERT INTO report_budget_changes (report, person_id, cents, movies)
        SELECT 'director', old.director_id, -CAST(round(old.budget * 100) AS INTEGER), -1
        WHERE old.director_id IS NOT NULL AND old.budget IS NOT NULL;
    INSERT INTO report_budget_changes (report, person_id, cents, movies)
        SELECT 'director', new.director_id, cents, 1 FROM report_movie_cents
        WHERE id = new.id AND new.director_id IS NOT NULL AND new.budget IS NOT NULL;
    UPDATE report_person_budgets
        SET cents = cents + COALESCE((SELECT cents FROM report_movie_cents WHERE id = new.id), 0)
            - COALESCE(CAST(round(old.budget * 100) AS INTEGER), 0)
        WHERE report = 'actor' AND old.budget IS NOT new.budget
            AND person_id IN (SELECT person_id FROM movie_characters WHERE movie_id = new.id);
END;

CREATE TRIGGER report_movies_delete BEFORE DELETE ON movies BEGIN
    UPDATE report_person_budgets SET cents = cents - CAST(round(old.budget * 100) AS INTEGER)
        WHERE report = 'actor' AND old.budget IS NOT NULL
            AND person_id IN (SELECT person_id FROM movie_characters WHERE movie_id = old.id);
    INSERT INTO report_budget_changes (report, person_id, cents, movies)
        SELECT 'director', old.director_id, -CAST(round(old.budget * 100) AS INTEGER), -1
        WHERE old.director_id IS NOT NULL AND old.budget IS NOT NULL;
END;

-- Cast rows: an actor gains a movie with its first row naming both, and
-- loses it with its last.

CREATE TRIGGER report_cast_insert AFTER INSERT ON movie_characters
WHEN new.person_id IS NOT NULL
    AND NOT EXISTS (SELECT 1 FROM import_bulk WHERE new.movie_id >= first_movie_id)
BEGIN
    INSERT INTO report_budget_changes (report, person_id, cents, movies)
        SELECT 'actor', new.person_id,
            COALESCE((SELECT cents FROM report_movie_cents WHERE id = new.movie_id), 0), 1
        WHERE NOT EXISTS (SELECT 1 FROM movie_characters
            WHERE person_id = new.person_id AND movie_id = new.movie_id AND character_id <> new.character_id);
END;

CREATE TRIGGER report_cast_update AFTER UPDATE OF movie_id, person_id ON movie_characters
WHEN old.person_id IS NOT new.person_id OR old.movie_id IS NOT new.movie_id
BEGIN
    INSERT INTO report_budget_changes (report, person_id, cents, movies)
        SELECT 'actor', old.person_id,
            -COALESCE((SELECT cents FROM report_movie_cents WHERE id = old.movie_id), 0), -1
        WHERE old.person_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM movie_characters
            WHERE person_id = old.person_id AND movie_id = old.movie_id);
    INSERT INTO report_budget_changes (report, person_id, cents, movies)
        SELECT 'actor', new.person_id,
            COALESCE((SELECT cents FROM report_movie_cents WHERE id = new.movie_id), 0), 1
        WHERE new.person_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM movie_characters
            WHERE person_id = new.person_id AND movie_id = new.movie_id AND character_id <> new.character_id);
END;

CREATE TRIGGER report_cast_delete AFTER DELETE ON movie_characters
WHEN old.person_id IS NOT NULL
BEGIN
    INSERT INTO report_budget_changes (report, person_id, cents, movies)
        SELECT 'actor', old.person_id,
            -COALESCE((SELECT cents FROM report_movie_cents WHERE id = old.movie_id), 0), -1
        WHERE NOT EXISTS (SELECT 1 FROM movie_characters
            WHERE person_id = old.person_id AND movie_id = old.movie_id);
END;

-- Users: the user-favorites report's count of rows.

CREATE TRIGGER report_users_insert AFTER INSERT ON users BEGIN
    UPDATE report_totals SET n = n + 1 WHERE report = 'users';
END;

CREATE TRIGGER report_users_delete AFTER DELETE ON users BEGIN
    UPDATE report_totals SET n = n - 1 WHERE report = 'users';
END;
