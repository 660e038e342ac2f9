package web

import (
	"net/url"
	"strconv"
	"strings"

	"github.com/moviedb/moviedb/catalog"
)

// listPage reads the page a list page asks for: size rows at page number
// page, or after cursor (the link to a next page carries one). Both at
// once, or a cursor longer than any, is a bad page, as the API says.
// The store checks the cursor itself.
func listPage(q url.Values, size int, errs map[string]string) catalog.Page {
	p := catalog.Page{Number: 1, Size: size}
	if n := intField(q, "page", 1, 1_000_000, errs); n != nil {
		p.Number = *n
	}
	cursor := strings.TrimSpace(q.Get("cursor"))
	switch {
	case cursor == "":
	case q.Get("page") != "":
		errs["cursor"] = "cannot be given with a page number"
	case len(cursor) > catalog.MaxCursorLength:
		errs["cursor"] = "is not a link of this list: start again from the first page"
	default:
		p.Cursor = cursor
	}
	return p
}

// A pager links to the pages around the current one of a list. Number is
// 0 on a page reached by a cursor, which knows the next page but not its
// own number; Count is 0 when the total is only a lower bound.
type pager struct {
	Number, Count     int
	First, Prev, Next string
}

// newPager returns the pager of list, shown at u. The next page is reached
// by its cursor, whose cost does not grow with the depth; the previous one
// by its number.
func newPager[T any](u *url.URL, list catalog.List[T]) pager {
	p := list.Page
	pg := pager{}
	link := func(set func(q url.Values)) string {
		q := u.Query()
		q.Del("page")
		q.Del("cursor")
		set(q)
		if len(q) == 0 {
			return u.Path
		}
		return u.Path + "?" + q.Encode()
	}
	if list.TotalRelation != catalog.TotalAtLeast {
		pg.Count = max((list.Total+p.Size-1)/p.Size, 1)
	}
	if p.Cursor == "" {
		pg.Number = p.Number
		if p.Number > 1 {
			prev := p.Number - 1
			if pg.Count > 0 {
				prev = min(prev, pg.Count)
			}
			pg.Prev = link(func(q url.Values) { q.Set("page", strconv.Itoa(prev)) })
		}
	} else {
		pg.First = link(func(url.Values) {})
	}
	switch {
	case list.NextCursor != "":
		pg.Next = link(func(q url.Values) { q.Set("cursor", list.NextCursor) })
	case p.Cursor == "" && p.Number < pg.Count:
		// A list whose store makes no cursors still pages by number.
		pg.Next = link(func(q url.Values) { q.Set("page", strconv.Itoa(p.Number+1)) })
	}
	return pg
}

// total writes a list's total for people: "1,234", or "10,000+" when the
// list counted no further.
func total(n int, relation string) string {
	s := groupThousands(strconv.Itoa(n))
	if relation == catalog.TotalAtLeast {
		s += "+"
	}
	return s
}
