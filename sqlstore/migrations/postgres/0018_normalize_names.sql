-- Names are kept in the form catalog.NormalizeName gives them: trimmed,
-- each run of spaces inside one space ' ', where spaces are ' ', tabs and
-- Unicode's space separators (no-break space, ideographic space...). The
-- API, the web pages and imports write names in that form from now on;
-- this migration puts the names already stored in it, where it can:
--
-- - genre and country names, unique without regard to case: a name is
--   changed unless its normalised form is, without regard to case, the
--   name of another row already (" Action " beside "Action"), or the
--   normalised form of a row with a smaller id that changes too ("  Drama"
--   and "drama " both normalise alike, so only the first changes). Such
--   names stay as they were, for an admin to merge or rename: merging
--   would move movies from one genre or country to another without anyone
--   asking, and a migration cannot tell which spelling is meant;
-- - person first and last names, character names, movie titles and
--   users' first and last names, which need not be unique: every one
--   changes, except a required name (first name, character name, title)
--   made only of space separators, which would become empty.
--
-- Each table's names to change are found first (n, with the normalised
-- form), then changed through the tables' triggers, so search indexes and
-- detail versions follow (an ETag is of the body, so it changes too).
-- "updatedAt" is left alone: the name means the same.

WITH n AS MATERIALIZED (
    SELECT id, btrim(regexp_replace(name, '[ \t\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]+', ' ', 'g'), ' ') AS norm
    FROM genres WHERE name ~ '^ | $|  |[\t\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]')
UPDATE genres SET name = n.norm FROM n
WHERE genres.id = n.id AND n.norm <> ''
    AND NOT EXISTS (SELECT 1 FROM genres o WHERE lower(o.name) = lower(n.norm) AND o.id <> n.id)
    AND NOT EXISTS (SELECT 1 FROM n o WHERE lower(o.norm) = lower(n.norm) AND o.id < n.id);

WITH n AS MATERIALIZED (
    SELECT id, btrim(regexp_replace(name, '[ \t\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]+', ' ', 'g'), ' ') AS norm
    FROM countries WHERE name ~ '^ | $|  |[\t\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]')
UPDATE countries SET name = n.norm FROM n
WHERE countries.id = n.id AND n.norm <> ''
    AND NOT EXISTS (SELECT 1 FROM countries o WHERE lower(o.name) = lower(n.norm) AND o.id <> n.id)
    AND NOT EXISTS (SELECT 1 FROM n o WHERE lower(o.norm) = lower(n.norm) AND o.id < n.id);

WITH n AS MATERIALIZED (
    SELECT id, btrim(regexp_replace(first_name, '[ \t\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]+', ' ', 'g'), ' ') AS norm
    FROM persons WHERE first_name ~ '^ | $|  |[\t\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]')
UPDATE persons SET first_name = n.norm FROM n
WHERE persons.id = n.id AND n.norm <> '';

WITH n AS MATERIALIZED (
    SELECT id, btrim(regexp_replace(last_name, '[ \t\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]+', ' ', 'g'), ' ') AS norm
    FROM persons WHERE last_name ~ '^ | $|  |[\t\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]')
UPDATE persons SET last_name = n.norm FROM n
WHERE persons.id = n.id;

WITH n AS MATERIALIZED (
    SELECT id, btrim(regexp_replace(name, '[ \t\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]+', ' ', 'g'), ' ') AS norm
    FROM characters WHERE name ~ '^ | $|  |[\t\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]')
UPDATE characters SET name = n.norm FROM n
WHERE characters.id = n.id AND n.norm <> '';

WITH n AS MATERIALIZED (
    SELECT id, btrim(regexp_replace(title, '[ \t\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]+', ' ', 'g'), ' ') AS norm
    FROM movies WHERE title ~ '^ | $|  |[\t\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]')
UPDATE movies SET title = n.norm FROM n
WHERE movies.id = n.id AND n.norm <> '';

WITH n AS MATERIALIZED (
    SELECT id, btrim(regexp_replace(first_name, '[ \t\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]+', ' ', 'g'), ' ') AS norm
    FROM users WHERE first_name ~ '^ | $|  |[\t\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]')
UPDATE users SET first_name = n.norm FROM n
WHERE users.id = n.id;

WITH n AS MATERIALIZED (
    SELECT id, btrim(regexp_replace(last_name, '[ \t\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]+', ' ', 'g'), ' ') AS norm
    FROM users WHERE last_name ~ '^ | $|  |[\t\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]')
UPDATE users SET last_name = n.norm FROM n
WHERE users.id = n.id;
