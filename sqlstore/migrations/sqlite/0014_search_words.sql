-- Words of titles and names that a search can test one movie or person
-- against in O(log n). SQLite only: PostgreSQL's GIN indexes test a row
-- from the row itself.
--
-- FTS5 answers "which rows hold this word" well, but cannot answer "does
-- row 42 hold this word" without running the whole match again, so a
-- search for a common word sorted by title had to build the set of all
-- its matches in memory before walking the title index. These tables hold
-- the same words FTS5 indexes (its own tokenizer folds them, see
-- sqlstore/words.go), one row per movie or person and word: their key
-- (id, word) answers that question, by exact word or by a range of words
-- for the last word of a query, which may be the start of one. Which rows
-- hold a word is still FTS5's to answer, so no index by word is kept.
CREATE TABLE movie_title_words (
    movie_id INTEGER NOT NULL,
    word     TEXT NOT NULL,
    PRIMARY KEY (movie_id, word)
) WITHOUT ROWID;

CREATE TABLE person_name_words (
    person_id INTEGER NOT NULL,
    word      TEXT NOT NULL,
    PRIMARY KEY (person_id, word)
) WITHOUT ROWID;

-- A title or name written in a transaction is queued here by triggers,
-- whoever writes it (the API, an import, a restore), and the store folds
-- its words with FTS5's tokenizer before the transaction commits
-- (flushSearchWords), so the tables are exact at every commit. A row
-- removed or renamed loses its words at once.
CREATE TABLE search_words_pending (
    kind INTEGER NOT NULL, -- 1: a movie's title, 2: a person's name
    id   INTEGER NOT NULL,
    PRIMARY KEY (kind, id)
) WITHOUT ROWID;

CREATE TRIGGER search_words_movies_insert AFTER INSERT ON movies BEGIN
    INSERT OR IGNORE INTO search_words_pending (kind, id) VALUES (1, new.id);
END;

CREATE TRIGGER search_words_movies_update AFTER UPDATE OF title ON movies BEGIN
    DELETE FROM movie_title_words WHERE movie_id = old.id;
    INSERT OR IGNORE INTO search_words_pending (kind, id) VALUES (1, new.id);
END;

CREATE TRIGGER search_words_movies_delete AFTER DELETE ON movies BEGIN
    DELETE FROM movie_title_words WHERE movie_id = old.id;
    DELETE FROM search_words_pending WHERE kind = 1 AND id = old.id;
END;

CREATE TRIGGER search_words_persons_insert AFTER INSERT ON persons BEGIN
    INSERT OR IGNORE INTO search_words_pending (kind, id) VALUES (2, new.id);
END;

CREATE TRIGGER search_words_persons_update AFTER UPDATE OF first_name, last_name ON persons BEGIN
    DELETE FROM person_name_words WHERE person_id = old.id;
    INSERT OR IGNORE INTO search_words_pending (kind, id) VALUES (2, new.id);
END;

CREATE TRIGGER search_words_persons_delete AFTER DELETE ON persons BEGIN
    DELETE FROM person_name_words WHERE person_id = old.id;
    DELETE FROM search_words_pending WHERE kind = 2 AND id = old.id;
END;

-- The rows written before this migration: their words are the terms FTS5
-- has already indexed, read off its index.
CREATE VIRTUAL TABLE temp.movies_fts_terms USING fts5vocab(main, movies_fts, instance);
INSERT INTO movie_title_words (movie_id, word)
    SELECT DISTINCT doc, term FROM temp.movies_fts_terms ORDER BY 1, 2;
DROP TABLE temp.movies_fts_terms;

CREATE VIRTUAL TABLE temp.persons_fts_terms USING fts5vocab(main, persons_fts, instance);
INSERT INTO person_name_words (person_id, word)
    SELECT DISTINCT doc, term FROM temp.persons_fts_terms ORDER BY 1, 2;
DROP TABLE temp.persons_fts_terms;
