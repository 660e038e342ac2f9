-- SQLite twin of migrations/postgres/0003_search.sql.
-- Text search of movie titles and person names with FTS5. The tables keep
-- only the index ("external content"): the text stays in movies and
-- persons, and triggers keep the index in step with every write. The
-- tokenizer folds case and diacritics, so "Amélie" is indexed as "amelie".
-- Prefix indexes of 1 to 3 characters serve a search as the user types:
-- "a"* would otherwise merge the lists of every word starting with a.

CREATE VIRTUAL TABLE movies_fts USING fts5 (
    title,
    content = 'movies', content_rowid = 'id',
    tokenize = "unicode61 remove_diacritics 2", prefix = '1 2 3'
);

CREATE TRIGGER movies_fts_insert AFTER INSERT ON movies BEGIN
    INSERT INTO movies_fts (rowid, title) VALUES (new.id, new.title);
END;

CREATE TRIGGER movies_fts_delete AFTER DELETE ON movies BEGIN
    INSERT INTO movies_fts (movies_fts, rowid, title) VALUES ('delete', old.id, old.title);
END;

CREATE TRIGGER movies_fts_update AFTER UPDATE OF title ON movies BEGIN
    INSERT INTO movies_fts (movies_fts, rowid, title) VALUES ('delete', old.id, old.title);
    INSERT INTO movies_fts (rowid, title) VALUES (new.id, new.title);
END;

CREATE VIRTUAL TABLE persons_fts USING fts5 (
    first_name, last_name,
    content = 'persons', content_rowid = 'id',
    tokenize = "unicode61 remove_diacritics 2", prefix = '1 2 3'
);

CREATE TRIGGER persons_fts_insert AFTER INSERT ON persons BEGIN
    INSERT INTO persons_fts (rowid, first_name, last_name) VALUES (new.id, new.first_name, new.last_name);
END;

CREATE TRIGGER persons_fts_delete AFTER DELETE ON persons BEGIN
    INSERT INTO persons_fts (persons_fts, rowid, first_name, last_name)
        VALUES ('delete', old.id, old.first_name, old.last_name);
END;

CREATE TRIGGER persons_fts_update AFTER UPDATE OF first_name, last_name ON persons BEGIN
    INSERT INTO persons_fts (persons_fts, rowid, first_name, last_name)
        VALUES ('delete', old.id, old.first_name, old.last_name);
    INSERT INTO persons_fts (rowid, first_name, last_name) VALUES (new.id, new.first_name, new.last_name);
END;

-- Lists sort titles without regard to case; unfiltered, a page of them
-- comes straight off this index.
CREATE INDEX movies_title_lower_idx ON movies (lower(title), id);

-- Index the rows written before this migration.
INSERT INTO movies_fts (movies_fts) VALUES ('rebuild');
INSERT INTO persons_fts (persons_fts) VALUES ('rebuild');
