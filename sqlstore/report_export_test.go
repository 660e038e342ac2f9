package sqlstore

import "github.com/moviedb/moviedb/catalog"

// reportCursorForTest returns a cursor of the report name, after a row of
// key 0 (or since, in the recent movies of since through until) and id 1.
func reportCursorForTest(name string, since, until catalog.Date) string {
	switch name {
	case "actor budgets":
		return actorBudgetsOrder.next("0", 1)
	case "director budgets":
		return directorBudgetsOrder.next("0", 1)
	case "recent movies":
		return recentMoviesOrder(since, until).next(since.String(), 1)
	}
	return catalog.Cursor{Scope: userFavoritesScope, After: []*string{catalog.CursorInt(1)}}.Encode()
}
