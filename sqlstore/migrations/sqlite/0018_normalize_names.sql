-- SQLite twin of migrations/postgres/0018_normalize_names.sql.
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
--
-- SQLite has no regular expressions: the normalised form below replaces
-- each space separator and tab with ' ', then makes each run of ' ' one by
-- putting a char(1) after every ' ', removing each char(1) followed by ' '
-- and then the char(1)s left, and trims. It needs names without char(1),
-- which validation never let in (a control character): a name holding
-- one is left alone. The GLOB conditions pick the names to change without
-- computing that form for every row.

WITH n AS MATERIALIZED (
    SELECT id, trim(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(name, char(9), ' '), char(160), ' '), char(5760), ' '), char(8192), ' '), char(8193), ' '), char(8194), ' '), char(8195), ' '), char(8196), ' '), char(8197), ' '), char(8198), ' '), char(8199), ' '), char(8200), ' '), char(8201), ' '), char(8202), ' '), char(8239), ' '), char(8287), ' '), char(12288), ' '), ' ', ' ' || char(1)), char(1) || ' ', ''), char(1), ''), ' ') AS norm
    FROM genres WHERE (name GLOB '*[' || char(9, 160, 5760) || char(8192) || '-' || char(8202) || char(8239, 8287, 12288) || ']*'
        OR name GLOB ' *' OR name GLOB '* ' OR instr(name, '  ') > 0)
        AND instr(name, char(1)) = 0)
UPDATE genres SET name = n.norm FROM n
WHERE genres.id = n.id AND n.norm <> ''
    AND NOT EXISTS (SELECT 1 FROM genres o WHERE lower(o.name) = lower(n.norm) AND o.id <> n.id)
    AND NOT EXISTS (SELECT 1 FROM n o WHERE lower(o.norm) = lower(n.norm) AND o.id < n.id);

WITH n AS MATERIALIZED (
    SELECT id, trim(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(name, char(9), ' '), char(160), ' '), char(5760), ' '), char(8192), ' '), char(8193), ' '), char(8194), ' '), char(8195), ' '), char(8196), ' '), char(8197), ' '), char(8198), ' '), char(8199), ' '), char(8200), ' '), char(8201), ' '), char(8202), ' '), char(8239), ' '), char(8287), ' '), char(12288), ' '), ' ', ' ' || char(1)), char(1) || ' ', ''), char(1), ''), ' ') AS norm
    FROM countries WHERE (name GLOB '*[' || char(9, 160, 5760) || char(8192) || '-' || char(8202) || char(8239, 8287, 12288) || ']*'
        OR name GLOB ' *' OR name GLOB '* ' OR instr(name, '  ') > 0)
        AND instr(name, char(1)) = 0)
UPDATE countries SET name = n.norm FROM n
WHERE countries.id = n.id AND n.norm <> ''
    AND NOT EXISTS (SELECT 1 FROM countries o WHERE lower(o.name) = lower(n.norm) AND o.id <> n.id)
    AND NOT EXISTS (SELECT 1 FROM n o WHERE lower(o.norm) = lower(n.norm) AND o.id < n.id);

WITH n AS MATERIALIZED (
    SELECT id, trim(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(first_name, char(9), ' '), char(160), ' '), char(5760), ' '), char(8192), ' '), char(8193), ' '), char(8194), ' '), char(8195), ' '), char(8196), ' '), char(8197), ' '), char(8198), ' '), char(8199), ' '), char(8200), ' '), char(8201), ' '), char(8202), ' '), char(8239), ' '), char(8287), ' '), char(12288), ' '), ' ', ' ' || char(1)), char(1) || ' ', ''), char(1), ''), ' ') AS norm
    FROM persons WHERE (first_name GLOB '*[' || char(9, 160, 5760) || char(8192) || '-' || char(8202) || char(8239, 8287, 12288) || ']*'
        OR first_name GLOB ' *' OR first_name GLOB '* ' OR instr(first_name, '  ') > 0)
        AND instr(first_name, char(1)) = 0)
UPDATE persons SET first_name = n.norm FROM n
WHERE persons.id = n.id AND n.norm <> '';

WITH n AS MATERIALIZED (
    SELECT id, trim(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(last_name, char(9), ' '), char(160), ' '), char(5760), ' '), char(8192), ' '), char(8193), ' '), char(8194), ' '), char(8195), ' '), char(8196), ' '), char(8197), ' '), char(8198), ' '), char(8199), ' '), char(8200), ' '), char(8201), ' '), char(8202), ' '), char(8239), ' '), char(8287), ' '), char(12288), ' '), ' ', ' ' || char(1)), char(1) || ' ', ''), char(1), ''), ' ') AS norm
    FROM persons WHERE (last_name GLOB '*[' || char(9, 160, 5760) || char(8192) || '-' || char(8202) || char(8239, 8287, 12288) || ']*'
        OR last_name GLOB ' *' OR last_name GLOB '* ' OR instr(last_name, '  ') > 0)
        AND instr(last_name, char(1)) = 0)
UPDATE persons SET last_name = n.norm FROM n
WHERE persons.id = n.id;

WITH n AS MATERIALIZED (
    SELECT id, trim(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(name, char(9), ' '), char(160), ' '), char(5760), ' '), char(8192), ' '), char(8193), ' '), char(8194), ' '), char(8195), ' '), char(8196), ' '), char(8197), ' '), char(8198), ' '), char(8199), ' '), char(8200), ' '), char(8201), ' '), char(8202), ' '), char(8239), ' '), char(8287), ' '), char(12288), ' '), ' ', ' ' || char(1)), char(1) || ' ', ''), char(1), ''), ' ') AS norm
    FROM characters WHERE (name GLOB '*[' || char(9, 160, 5760) || char(8192) || '-' || char(8202) || char(8239, 8287, 12288) || ']*'
        OR name GLOB ' *' OR name GLOB '* ' OR instr(name, '  ') > 0)
        AND instr(name, char(1)) = 0)
UPDATE characters SET name = n.norm FROM n
WHERE characters.id = n.id AND n.norm <> '';

WITH n AS MATERIALIZED (
    SELECT id, trim(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(title, char(9), ' '), char(160), ' '), char(5760), ' '), char(8192), ' '), char(8193), ' '), char(8194), ' '), char(8195), ' '), char(8196), ' '), char(8197), ' '), char(8198), ' '), char(8199), ' '), char(8200), ' '), char(8201), ' '), char(8202), ' '), char(8239), ' '), char(8287), ' '), char(12288), ' '), ' ', ' ' || char(1)), char(1) || ' ', ''), char(1), ''), ' ') AS norm
    FROM movies WHERE (title GLOB '*[' || char(9, 160, 5760) || char(8192) || '-' || char(8202) || char(8239, 8287, 12288) || ']*'
        OR title GLOB ' *' OR title GLOB '* ' OR instr(title, '  ') > 0)
        AND instr(title, char(1)) = 0)
UPDATE movies SET title = n.norm FROM n
WHERE movies.id = n.id AND n.norm <> '';

WITH n AS MATERIALIZED (
    SELECT id, trim(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(first_name, char(9), ' '), char(160), ' '), char(5760), ' '), char(8192), ' '), char(8193), ' '), char(8194), ' '), char(8195), ' '), char(8196), ' '), char(8197), ' '), char(8198), ' '), char(8199), ' '), char(8200), ' '), char(8201), ' '), char(8202), ' '), char(8239), ' '), char(8287), ' '), char(12288), ' '), ' ', ' ' || char(1)), char(1) || ' ', ''), char(1), ''), ' ') AS norm
    FROM users WHERE (first_name GLOB '*[' || char(9, 160, 5760) || char(8192) || '-' || char(8202) || char(8239, 8287, 12288) || ']*'
        OR first_name GLOB ' *' OR first_name GLOB '* ' OR instr(first_name, '  ') > 0)
        AND instr(first_name, char(1)) = 0)
UPDATE users SET first_name = n.norm FROM n
WHERE users.id = n.id;

WITH n AS MATERIALIZED (
    SELECT id, trim(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(last_name, char(9), ' '), char(160), ' '), char(5760), ' '), char(8192), ' '), char(8193), ' '), char(8194), ' '), char(8195), ' '), char(8196), ' '), char(8197), ' '), char(8198), ' '), char(8199), ' '), char(8200), ' '), char(8201), ' '), char(8202), ' '), char(8239), ' '), char(8287), ' '), char(12288), ' '), ' ', ' ' || char(1)), char(1) || ' ', ''), char(1), ''), ' ') AS norm
    FROM users WHERE (last_name GLOB '*[' || char(9, 160, 5760) || char(8192) || '-' || char(8202) || char(8239, 8287, 12288) || ']*'
        OR last_name GLOB ' *' OR last_name GLOB '* ' OR instr(last_name, '  ') > 0)
        AND instr(last_name, char(1)) = 0)
UPDATE users SET last_name = n.norm FROM n
WHERE users.id = n.id;
