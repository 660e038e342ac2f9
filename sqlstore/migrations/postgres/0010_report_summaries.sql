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
-- The triggers on movies and movie_characters are statement triggers
-- with transition tables: a statement's rows are added up per person
-- once, whether it writes one row (the API) or thousands (an import, a
-- restore, a cascade). An actor plays in a movie while at least one cast
-- row names both; movie_characters_person_id_idx (person_id, movie_id)
-- counts them after the statement, and the statement's own rows give the
-- count before, so no per-(person, movie) count is kept.
--
-- A movie's delete subtracts its budget from its actors' totals before
-- the row goes (BEFORE DELETE): the cast rows its delete cascades to find
-- no movie, so they only take the movie out of each actor's count.
--
-- Concurrency: a cast row's change locks its movie first (FOR NO KEY
-- UPDATE, as a budget change does, in a BEFORE row trigger), and each
-- statement of a trigger reads the rows committed before it (READ
-- COMMITTED). So two transactions changing the cast or the budget of one
-- movie queue, and the second sees what the first did. Summary rows are
-- written in person order (report_apply), so writers queue rather than
-- deadlock. Movies an import or restore creates in its own transaction
-- (the bulk mode of migration 0006) are seen by nobody else, and are not
-- locked.

CREATE TABLE report_person_budgets (
    report    text NOT NULL,
    person_id bigint NOT NULL,
    cents     bigint NOT NULL,
    movies    bigint NOT NULL,
    average   bigint GENERATED ALWAYS AS ((2 * cents + movies) / NULLIF(2 * movies, 0)) STORED,
    CONSTRAINT report_person_budgets_pkey PRIMARY KEY (person_id, report)
);

CREATE TABLE report_totals (
    report text PRIMARY KEY,
    n      bigint NOT NULL
);

-- report_cents is the one place a budget turns into cents.
CREATE FUNCTION report_cents(budget numeric) RETURNS bigint
LANGUAGE sql IMMUTABLE AS $$ SELECT CAST(round(budget * 100) AS bigint) $$;

INSERT INTO report_person_budgets (report, person_id, cents, movies)
    SELECT 'actor', pm.person_id, COALESCE(sum(report_cents(m.budget)), 0), count(*)
    FROM (SELECT DISTINCT person_id, movie_id FROM movie_characters WHERE person_id IS NOT NULL) pm
    JOIN movies m ON m.id = pm.movie_id
    GROUP BY pm.person_id;
INSERT INTO report_person_budgets (report, person_id, cents, movies)
    SELECT 'director', director_id, sum(report_cents(budget)), count(*)
    FROM movies WHERE director_id IS NOT NULL AND budget IS NOT NULL
    GROUP BY director_id;
INSERT INTO report_totals (report, n)
    SELECT 'actor', count(*) FROM report_person_budgets WHERE report = 'actor'
    UNION ALL SELECT 'director', count(*) FROM report_person_budgets WHERE report = 'director'
    UNION ALL SELECT 'users', count(*) FROM users;

-- The reports' orders, read by keyset.
CREATE INDEX report_actor_budgets_idx ON report_person_budgets (cents DESC, person_id) WHERE report = 'actor';
CREATE INDEX report_director_budgets_idx ON report_person_budgets (average DESC, person_id) WHERE report = 'director';
-- recent-movies: newest first, ties by id. Imported release dates are
-- mostly January 1st, so a date is shared by thousands of movies and the
-- ties must come from the index too.
CREATE INDEX movies_recent_idx ON movies (release_date DESC, id) WHERE release_date IS NOT NULL;

-- report_apply adds amounts[i] cents and counts[i] movies to the row of
-- person ids[i] (each once) in report kind, creating it, or removing it
-- when its movies count reaches 0, and keeps the report's count of rows.
-- Rows are written in person order, so that two writers queue rather
-- than deadlock.
CREATE FUNCTION report_apply(kind text, ids bigint[], amounts bigint[], counts bigint[]) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
    gone   bigint[];
    listed bigint;
BEGIN
    IF ids IS NULL THEN
        RETURN;
    END IF;
    WITH d AS (
        SELECT * FROM unnest(ids, amounts, counts) AS d(person_id, cents, movies)
    ), up AS (
        INSERT INTO report_person_budgets AS r (report, person_id, cents, movies)
        SELECT kind, d.person_id, d.cents, d.movies FROM d ORDER BY d.person_id
        ON CONFLICT (report, person_id) DO UPDATE
        SET cents = r.cents + excluded.cents, movies = r.movies + excluded.movies
        RETURNING r.person_id, r.movies
    )
    SELECT array_agg(up.person_id) FILTER (WHERE up.movies = 0),
        count(*) FILTER (WHERE up.movies > 0 AND up.movies = d.movies)
            - count(*) FILTER (WHERE up.movies = 0 AND d.movies < 0)
    INTO gone, listed
    FROM up JOIN d ON d.person_id = up.person_id;
    IF gone IS NOT NULL THEN
        DELETE FROM report_person_budgets WHERE report = kind AND person_id = ANY (gone);
    END IF;
    IF listed <> 0 THEN
        UPDATE report_totals SET n = n + listed WHERE report = kind;
    END IF;
END;
$$;

-- report_bulk says whether the transaction writes rows of movies it
-- created itself (migration 0006), which no other transaction can see.
CREATE FUNCTION report_bulk() RETURNS boolean
LANGUAGE sql STABLE AS $$
    SELECT current_setting('moviedb.bulk_new_movies', true) IS NOT DISTINCT FROM 'on'
$$;

-- report_cast_pairs applies the change of a cast statement, given as the
-- number of rows it added (negative: removed) for each (person, movie).
CREATE FUNCTION report_cast_pairs(pair_persons bigint[], pair_movies bigint[], pair_rows bigint[]) RETURNS void
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
        SELECT c.person_id, sum(c.delta * COALESCE(report_cents(m.budget), 0)) AS cents, sum(c.delta) AS movies
        FROM (
            SELECT c.person_id, c.movie_id,
                (cur.n > 0)::int - (cur.n - c.n > 0)::int AS delta
            FROM unnest(pair_persons, pair_movies, pair_rows) AS c(person_id, movie_id, n)
            CROSS JOIN LATERAL (
                SELECT count(*) AS n FROM movie_characters mc
                WHERE mc.person_id = c.person_id AND mc.movie_id = c.movie_id) cur
        ) c
        LEFT JOIN movies m ON m.id = c.movie_id
        WHERE c.delta <> 0
        GROUP BY c.person_id
    ) x;
    PERFORM report_apply('actor', ids, amounts, counts);
END;
$$;

CREATE FUNCTION report_cast() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    pair_persons bigint[];
    pair_movies  bigint[];
    pair_rows    bigint[];
BEGIN
    IF TG_OP = 'INSERT' THEN
        SELECT array_agg(person_id), array_agg(movie_id), array_agg(n) INTO pair_persons, pair_movies, pair_rows
        FROM (SELECT person_id, movie_id, count(*) AS n FROM new_rows
              WHERE person_id IS NOT NULL GROUP BY person_id, movie_id) c;
    ELSIF TG_OP = 'DELETE' THEN
        SELECT array_agg(person_id), array_agg(movie_id), array_agg(n) INTO pair_persons, pair_movies, pair_rows
        FROM (SELECT person_id, movie_id, -count(*) AS n FROM old_rows
              WHERE person_id IS NOT NULL GROUP BY person_id, movie_id) c;
    ELSE
        SELECT array_agg(person_id), array_agg(movie_id), array_agg(n) INTO pair_persons, pair_movies, pair_rows
        FROM (SELECT person_id, movie_id, sum(n) AS n FROM (
                SELECT person_id, movie_id, 1 AS n FROM new_rows WHERE person_id IS NOT NULL
                UNION ALL
                SELECT person_id, movie_id, -1 FROM old_rows WHERE person_id IS NOT NULL) u
              GROUP BY person_id, movie_id HAVING sum(n) <> 0) c;
    END IF;
    PERFORM report_cast_pairs(pair_persons, pair_movies, pair_rows);
    RETURN NULL;
END;
$$;
CREATE TRIGGER report_cast_insert AFTER INSERT ON movie_characters
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION report_cast();
CREATE TRIGGER report_cast_update AFTER UPDATE ON movie_characters
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION report_cast();
CREATE TRIGGER report_cast_delete AFTER DELETE ON movie_characters
    REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION report_cast();

-- report_cast_lock locks the movie of a cast row before the row changes
-- (see the header): before the detail-version triggers lock the movie's
-- version, as a budget change, which locks the movie first, does.
CREATE FUNCTION report_cast_lock() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        PERFORM 1 FROM movies WHERE id = NEW.movie_id FOR NO KEY UPDATE;
        RETURN NEW;
    END IF;
    PERFORM 1 FROM movies WHERE id = OLD.movie_id OR id = NEW.movie_id ORDER BY id FOR NO KEY UPDATE;
    RETURN COALESCE(NEW, OLD);
END;
$$;
CREATE TRIGGER report_cast_lock BEFORE INSERT OR UPDATE OF movie_id, person_id OR DELETE ON movie_characters
    FOR EACH ROW WHEN (NOT report_bulk())
    EXECUTE FUNCTION report_cast_lock();

-- Movies: their director's row, and their actors' totals when the budget
-- changes.
CREATE FUNCTION report_movies() RETURNS trigger
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
        array_agg(0::bigint)
    INTO ids, amounts, counts
    FROM (
        SELECT mc.person_id, sum(ch.delta) AS delta
        FROM (
            SELECT nw.id, COALESCE(report_cents(nw.budget), 0) - COALESCE(report_cents(od.budget), 0) AS delta
            FROM new_rows nw JOIN old_rows od ON od.id = nw.id
            WHERE nw.budget IS DISTINCT FROM od.budget
        ) ch
        CROSS JOIN LATERAL (
            SELECT DISTINCT person_id FROM movie_characters
            WHERE movie_id = ch.id AND person_id IS NOT NULL) mc
        GROUP BY mc.person_id
        HAVING sum(ch.delta) <> 0
    ) x;
    PERFORM report_apply('actor', ids, amounts, counts);
    RETURN NULL;
END;
$$;
CREATE TRIGGER report_movies_insert AFTER INSERT ON movies
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION report_movies();
CREATE TRIGGER report_movies_update AFTER UPDATE ON movies
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION report_movies();

CREATE FUNCTION report_movie_delete() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF OLD.budget IS NOT NULL THEN
        PERFORM report_apply('actor', array_agg(person_id ORDER BY person_id),
            array_agg(-report_cents(OLD.budget)), array_agg(0::bigint))
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
CREATE TRIGGER report_movie_delete BEFORE DELETE ON movies
    FOR EACH ROW EXECUTE FUNCTION report_movie_delete();

-- Users: the user-favorites report's count of rows.
CREATE FUNCTION report_users() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        UPDATE report_totals SET n = n + (SELECT count(*) FROM new_rows) WHERE report = 'users';
    ELSE
        UPDATE report_totals SET n = n - (SELECT count(*) FROM old_rows) WHERE report = 'users';
    END IF;
    RETURN NULL;
END;
$$;
CREATE TRIGGER report_users_insert AFTER INSERT ON users
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION report_users();
CREATE TRIGGER report_users_delete AFTER DELETE ON users
    REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION report_users();
