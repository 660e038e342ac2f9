-- SQLite twin of migrations/postgres/0017_actor_budgets_budgeted.sql.
-- The actor-budgets report lists only actors who play in at least one
-- movie with a budget, as director-budgets lists only directors of one:
-- an actor of unbudgeted movies alone was listed with a total of 0.00,
-- which read as "budgets that add up to nothing". An actor whose
-- budgeted movies have a budget of 0.00 stays listed with 0.00.
--
-- report_person_budgets' 'actor' rows now count budgeted movies only
-- (migration 0010 counted every movie an actor plays in):
--   cents  = total budget of the distinct movies with a budget the
--            person plays a character in,
--   movies = how many such movies.
-- A row still goes when its movies count reaches 0, and report_totals
-- counts the rows, so the report's query, its index
-- (report_actor_budgets_idx) and its exact total are unchanged: the rows
-- are filtered where they are kept, not where they are read.
--
-- So a movie adds to its actors' rows only while it has a budget: a cast
-- row of a movie without one adds nothing, and setting or clearing a
-- budget adds or removes the movie for each of its actors. A movie's
-- delete takes its budget and itself out of its actors' rows before the
-- row goes (BEFORE DELETE); the cast rows its delete cascades to then
-- find no movie, hence no budget, and change nothing.
--
-- The triggers that read actors' rows are replaced, and the rows rebuilt
-- from the cast and the budgets. The triggers' bulk-mode conditions
-- (migration 0008) stay; sqlstore/report.go (bulkReportsSQL) adds an
-- import's batch up with the same rule.

DROP TRIGGER report_movies_update;
DROP TRIGGER report_movies_delete;
DROP TRIGGER report_cast_insert;
DROP TRIGGER report_cast_update;
DROP TRIGGER report_cast_delete;

CREATE TRIGGER report_movies_update AFTER UPDATE OF budget, director_id ON movies
WHEN old.budget IS NOT new.budget OR old.director_id IS NOT new.director_id
BEGIN
    INSERT INTO report_budget_changes (report, person_id, cents, movies)
        SELECT 'director', old.director_id, -CAST(round(old.budget * 100) AS INTEGER), -1
        WHERE old.director_id IS NOT NULL AND old.budget IS NOT NULL;
    INSERT INTO report_budget_changes (report, person_id, cents, movies)
        SELECT 'director', new.director_id, cents, 1 FROM report_movie_cents
        WHERE id = new.id AND new.director_id IS NOT NULL AND new.budget IS NOT NULL;
    -- Each actor once: the budget's change in cents, and the movie
    -- gained (a budget set), lost (cleared) or kept (changed).
    INSERT INTO report_budget_changes (report, person_id, cents, movies)
        SELECT 'actor', a.person_id,
            COALESCE(c.cents, 0) - COALESCE(CAST(round(old.budget * 100) AS INTEGER), 0),
            (new.budget IS NOT NULL) - (old.budget IS NOT NULL)
        FROM (SELECT DISTINCT person_id FROM movie_characters
              WHERE movie_id = new.id AND person_id IS NOT NULL) a
        JOIN report_movie_cents c ON c.id = new.id
        WHERE old.budget IS NOT new.budget;
END;

CREATE TRIGGER report_movies_delete BEFORE DELETE ON movies BEGIN
    INSERT INTO report_budget_changes (report, person_id, cents, movies)
        SELECT 'actor', a.person_id, -CAST(round(old.budget * 100) AS INTEGER), -1
        FROM (SELECT DISTINCT person_id FROM movie_characters
              WHERE movie_id = old.id AND person_id IS NOT NULL) a
        WHERE old.budget IS NOT NULL;
    INSERT INTO report_budget_changes (report, person_id, cents, movies)
        SELECT 'director', old.director_id, -CAST(round(old.budget * 100) AS INTEGER), -1
        WHERE old.director_id IS NOT NULL AND old.budget IS NOT NULL;
END;

-- Cast rows: an actor gains a budgeted movie with its first row naming
-- both, and loses it with its last.

CREATE TRIGGER report_cast_insert AFTER INSERT ON movie_characters
WHEN new.person_id IS NOT NULL
    AND NOT EXISTS (SELECT 1 FROM import_bulk WHERE new.movie_id >= first_movie_id)
BEGIN
    INSERT INTO report_budget_changes (report, person_id, cents, movies)
        SELECT 'actor', new.person_id, c.cents, 1
        FROM report_movie_cents c
        WHERE c.id = new.movie_id AND c.cents IS NOT NULL AND NOT EXISTS (SELECT 1 FROM movie_characters
            WHERE person_id = new.person_id AND movie_id = new.movie_id AND character_id <> new.character_id);
END;

CREATE TRIGGER report_cast_update AFTER UPDATE OF movie_id, person_id ON movie_characters
WHEN old.person_id IS NOT new.person_id OR old.movie_id IS NOT new.movie_id
BEGIN
    INSERT INTO report_budget_changes (report, person_id, cents, movies)
        SELECT 'actor', old.person_id, -c.cents, -1
        FROM report_movie_cents c
        WHERE c.id = old.movie_id AND c.cents IS NOT NULL AND old.person_id IS NOT NULL
            AND NOT EXISTS (SELECT 1 FROM movie_characters
                WHERE person_id = old.person_id AND movie_id = old.movie_id);
    INSERT INTO report_budget_changes (report, person_id, cents, movies)
        SELECT 'actor', new.person_id, c.cents, 1
        FROM report_movie_cents c
        WHERE c.id = new.movie_id AND c.cents IS NOT NULL AND new.person_id IS NOT NULL
            AND NOT EXISTS (SELECT 1 FROM movie_characters
                WHERE person_id = new.person_id AND movie_id = new.movie_id AND character_id <> new.character_id);
END;

CREATE TRIGGER report_cast_delete AFTER DELETE ON movie_characters
WHEN old.person_id IS NOT NULL
BEGIN
    INSERT INTO report_budget_changes (report, person_id, cents, movies)
        SELECT 'actor', old.person_id, -c.cents, -1
        FROM report_movie_cents c
        WHERE c.id = old.movie_id AND c.cents IS NOT NULL AND NOT EXISTS (SELECT 1 FROM movie_characters
            WHERE person_id = old.person_id AND movie_id = old.movie_id);
END;

DELETE FROM report_person_budgets WHERE report = 'actor';
INSERT INTO report_person_budgets (report, person_id, cents, movies)
    SELECT 'actor', pm.person_id, sum(c.cents), count(*)
    FROM (SELECT DISTINCT person_id, movie_id FROM movie_characters WHERE person_id IS NOT NULL) pm
    JOIN report_movie_cents c ON c.id = pm.movie_id
    WHERE c.cents IS NOT NULL
    GROUP BY pm.person_id;
UPDATE report_totals SET n = (SELECT count(*) FROM report_person_budgets WHERE report = 'actor')
    WHERE report = 'actor';
