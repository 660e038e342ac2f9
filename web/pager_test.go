package web

import (
	"net/url"
	"testing"

	"github.com/moviedb/moviedb/catalog"
)

func TestTotalText(t *testing.T) {
	for _, c := range []struct {
		n        int
		relation string
		want     string
	}{
		{0, catalog.TotalExact, "0"},
		{1234, catalog.TotalExact, "1,234"},
		{catalog.MaxExactTotal, catalog.TotalAtLeast, "10,000+"},
	} {
		if got := total(c.n, c.relation); got != c.want {
			t.Errorf("total(%d, %q) = %q; want %q", c.n, c.relation, got, c.want)
		}
	}
}

func TestPagerLinks(t *testing.T) {
	u, _ := url.Parse("/persons?q=ann&page=2")
	exact := catalog.List[int]{Page: catalog.Page{Number: 2, Size: 10}, Total: 45, TotalRelation: catalog.TotalExact, NextCursor: "abc"}
	if got, want := newPager(u, exact), (pager{Number: 2, Count: 5, Prev: "/persons?page=1&q=ann", Next: "/persons?cursor=abc&q=ann"}); got != want {
		t.Errorf("exact page 2 = %+v; want %+v", got, want)
	}
	bound := catalog.List[int]{Page: catalog.Page{Number: 1, Size: 10, Cursor: "xyz"}, Total: catalog.MaxExactTotal,
		TotalRelation: catalog.TotalAtLeast, NextCursor: "def"}
	if got, want := newPager(u, bound), (pager{First: "/persons?q=ann", Next: "/persons?cursor=def&q=ann"}); got != want {
		t.Errorf("bounded cursor page = %+v; want %+v", got, want)
	}
	noCursors := catalog.List[int]{Page: catalog.Page{Number: 1, Size: 10}, Total: 15}
	if got, want := newPager(u, noCursors), (pager{Number: 1, Count: 2, Next: "/persons?page=2&q=ann"}); got != want {
		t.Errorf("page of a list without cursors = %+v; want %+v", got, want)
	}
	last := catalog.List[int]{Page: catalog.Page{Number: 2, Size: 10}, Total: 15, TotalRelation: catalog.TotalExact}
	if got, want := newPager(u, last), (pager{Number: 2, Count: 2, Prev: "/persons?page=1&q=ann"}); got != want {
		t.Errorf("last page = %+v; want %+v", got, want)
	}
}
