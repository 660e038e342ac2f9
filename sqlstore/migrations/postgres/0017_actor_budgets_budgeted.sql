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
-- The functions that write actors' rows are replaced (their triggers call
-- them by name), and the rows rebuilt from the cast and the budgets. The
-- locking of migration 0010 is unchanged.

-- report_cast_pairs applies the change of a cast statement, given as the
-- number of rows it added (negative: removed) for each (person, movie):
-- only movies with a budget count.
CREATE OR REPLACE FUNCTION report_cast_pairs(pair_persons bigint[], pair_movies bigint[], pair_rows bigint[]) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
    ids     bigint[];
    amounts bigint[];
    counts  bigint[];
BEGIN
    IF pair_persons IS NULL THEN
        RETURN;
    END IF;
    SELECT array_agg(x.person_id ORDER BY x.person_id), array_agg(x.cents ORDER BY x.person_id),
        array_agg(x.movies ORDER BY x.person_id)
    INTO ids, amounts, counts
    FROM (
        SELECT c.person_id, sum(c.delta * report_cents(m.budget)) AS cents, sum(c.delta) AS movies
        FROM (
            SELECT c.person_id, c.movie_id,
                (cur.n > 0)::int - (cur.n - c.n > 0)::int AS delta
            FROM unnest(pair_persons, pair_movies, pair_rows) AS c(person_id, movie_id, n)
            CROSS JOIN LATERAL (
                SELECT count(*) AS n FROM movie_characters mc
                WHERE mc.person_id = c.person_id AND mc.movie_id = c.movie_id) cur
        ) c
        JOIN movies m ON m.id = c.movie_id AND m.budget IS NOT NULL
        WHERE c.delta <> 0
        GROUP BY c.person_id
    ) x;
    PERFORM report_apply('actor', ids, amounts, counts);
END;
$$;

-- Movies: their director's row, and their actors' rows when the budget
-- changes: its change in cents, and the movie gained (a budget set), lost
-- (cleared) or kept (changed) by each actor.
CREATE OR REPLACE FUNCTION report_movies() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    ids     bigint[];
    amounts bigint[];
    counts  bigint[];
BEGIN
    IF TG_OP = 'INSERT' THEN
        SELECT array_agg(director_id ORDER BY director_id), array_agg(c ORDER BY director_id),
            array_agg(n ORDER BY director_id)
        INTO ids, amounts, counts
        FROM (SELECT director_id, sum(report_cents(budget)) AS c, count(*) AS n FROM new_rows
              WHERE director_id IS NOT NULL AND budget IS NOT NULL GROUP BY director_id) d;
        PERFORM report_apply('director', ids, amounts, counts);
        RETURN NULL;
    END IF;
    SELECT array_agg(director_id ORDER BY director_id), array_agg(c ORDER BY director_id),
        array_agg(n ORDER BY director_id)
    INTO ids, amounts, counts
    FROM (SELECT director_id, sum(c) AS c, sum(n) AS n FROM (
            SELECT nw.director_id, report_cents(nw.budget) AS c, 1 AS n
            FROM new_rows nw JOIN old_rows od ON od.id = nw.id
            WHERE nw.director_id IS NOT NULL AND nw.budget IS NOT NULL
                AND (nw.budget IS DISTINCT FROM od.budget OR nw.director_id IS DISTINCT FROM od.director_id)
            UNION ALL
            SELECT od.director_id, -report_cents(od.budget), -1
            FROM new_rows nw JOIN old_rows od ON od.id = nw.id
            WHERE od.director_id IS NOT NULL AND od.budget IS NOT NULL
                AND (nw.budget IS DISTINCT FROM od.budget OR nw.director_id IS DISTINCT FROM od.director_id)) u
          GROUP BY director_id HAVING sum(n) <> 0 OR sum(c) <> 0) d;
    PERFORM report_apply('director', ids, amounts, counts);
    SELECT array_agg(person_id ORDER BY person_id), array_agg(delta ORDER BY person_id),
        array_agg(n ORDER BY person_id)
    INTO ids, amounts, counts
    FROM (
        SELECT mc.person_id, sum(ch.delta) AS delta, sum(ch.n) AS n
        FROM (
            SELECT nw.id, COALESCE(report_cents(nw.budget), 0) - COALESCE(report_cents(od.budget), 0) AS delta,
                (nw.budget IS NOT NULL)::int - (od.budget IS NOT NULL)::int AS n
            FROM new_rows nw JOIN old_rows od ON od.id = nw.id
            WHERE nw.budget IS DISTINCT FROM od.budget
        ) ch
        CROSS JOIN LATERAL (
            SELECT DISTINCT person_id FROM movie_characters
            WHERE movie_id = ch.id AND person_id IS NOT NULL) mc
        GROUP BY mc.person_id
        HAVING sum(ch.delta) <> 0 OR sum(ch.n) <> 0
    ) x;
    PERFORM report_apply('actor', ids, amounts, counts);
    RETURN NULL;
END;
$$;

-- A movie's delete takes its budget and itself out of its actors' rows
-- and its director's.
CREATE OR REPLACE FUNCTION report_movie_delete() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF OLD.budget IS NOT NULL THEN
        PERFORM report_apply('actor', array_agg(person_id ORDER BY person_id),
            array_agg(-report_cents(OLD.budget)), array_agg(-1::bigint))
        FROM (SELECT DISTINCT person_id FROM movie_characters
              WHERE movie_id = OLD.id AND person_id IS NOT NULL) a;
        IF OLD.director_id IS NOT NULL THEN
            PERFORM report_apply('director', ARRAY[OLD.director_id],
                ARRAY[-report_cents(OLD.budget)], ARRAY[-1::bigint]);
        END IF;
    END IF;
    RETURN OLD;
END;
$$;

DELETE FROM report_person_budgets WHERE report = 'actor';
INSERT INTO report_person_budgets (report, person_id, cents, movies)
    SELECT 'actor', pm.person_id, sum(report_cents(m.budget)), count(*)
    FROM (SELECT DISTINCT person_id, movie_id FROM movie_characters WHERE person_id IS NOT NULL) pm
    JOIN movies m ON m.id = pm.movie_id
    WHERE m.budget IS NOT NULL
    GROUP BY pm.person_id;
UPDATE report_totals SET n = (SELECT count(*) FROM report_person_budgets WHERE report = 'actor')
    WHERE report = 'actor';
