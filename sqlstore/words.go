package sqlstore

import (
	"context"
	"fmt"
	"strings"
)

// Word tables (SQLite only, migration 0014): movie_title_words and
// person_name_words hold each movie's and person's words as FTS5 indexes
// them, so that a search walking the title or name index in order can
// test each row for a word by one index probe, where asking FTS5 about
// one row runs the whole match again. Triggers queue every title or name
// written in search_words_pending; flushSearchWords folds their words
// before the writing transaction commits.

// A wordTable is one of the word tables and the rows whose text it holds.
type wordTable struct {
	kind  int    // search_words_pending.kind
	table string // the word table
	id    string // its column of the row's id
	text  string // the SELECT of the pending rows' id and text, in full
}

var wordTables = []wordTable{
	{1, "movie_title_words", "movie_id",
		"SELECT m.id, m.title FROM movies m JOIN search_words_pending w ON w.kind = 1 AND w.id = m.id"},
	{2, "person_name_words", "person_id",
		"SELECT p.id, p.first_name || ' ' || p.last_name FROM persons p JOIN search_words_pending w ON w.kind = 2 AND w.id = p.id"},
}

// foldTables creates, once per connection, the connection's own empty
// FTS5 table with the tokenizer of movies_fts and persons_fts (migration
// 0003), and the view of its terms: text put there is split and folded
// exactly as FTS5 splits and folds the searched text. Contentless, so it
// keeps only the index, emptied by one 'delete-all'.
const foldTables = `CREATE VIRTUAL TABLE IF NOT EXISTS temp.search_fold USING fts5 (
    text, content = '', tokenize = "unicode61 remove_diacritics 2");
CREATE VIRTUAL TABLE IF NOT EXISTS temp.search_fold_terms USING fts5vocab(temp, search_fold, instance)`

// flushSearchWords writes the words of the titles and names that tx has
// queued, and empties the queue; on PostgreSQL it does nothing. Every
// write transaction calls it just before its commit.
func flushSearchWords(ctx context.Context, tx *Tx) error {
	if tx.engine != SQLite {
		return nil
	}
	var pending bool
	if err := tx.QueryRowContext(ctx, "SELECT EXISTS (SELECT 1 FROM search_words_pending)").Scan(&pending); err != nil {
		return fmt.Errorf("search words: %w", err)
	}
	if !pending {
		return nil
	}
	stmts := []string{foldTables}
	for _, t := range wordTables {
		stmts = append(stmts,
			"INSERT INTO temp.search_fold (rowid, text) "+t.text,
			"INSERT INTO "+t.table+" ("+t.id+", word) SELECT DISTINCT doc, term FROM temp.search_fold_terms",
			"INSERT INTO temp.search_fold (search_fold) VALUES ('delete-all')")
	}
	stmts = append(stmts, "DELETE FROM search_words_pending")
	for _, q := range stmts {
		if _, err := tx.ExecContext(ctx, q); err != nil {
			return fmt.Errorf("search words: %w", translate(err, opWrite))
		}
	}
	return nil
}

// probeWords returns, for SQLite, the condition that the row whose id is
// idExpr holds every word of words in table (the last word possibly the
// start of one), binding its arguments in w; ok is false when the words
// cannot be looked up there. Only lower-case ASCII letters and digits are
// looked up: FTS5 folds those exactly as Go does, where its folding of
// other characters (diacritics, other scripts) is its own, so other
// words keep to FTS5.
func probeWords(w *whereList, t wordTable, idExpr string, words []string) (cond string, ok bool) {
	var conds []string
	for i, word := range words {
		word = strings.ToLower(word)
		for _, r := range word {
			if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9') {
				return "", false
			}
		}
		match := "tw.word = " + w.bind(word)
		if i == len(words)-1 {
			// The words that start with word: ASCII word's last byte plus
			// one ends their range.
			next := word[:len(word)-1] + string(rune(word[len(word)-1]+1))
			match = "tw.word >= " + w.bind(word) + " AND tw.word < " + w.bind(next)
		}
		conds = append(conds, "EXISTS (SELECT 1 FROM "+t.table+" tw WHERE tw."+t.id+" = "+idExpr+" AND "+match+")")
	}
	return strings.Join(conds, " AND "), true
}
