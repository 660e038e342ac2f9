package sqlstore_test

import (
	"context"
	"fmt"
	"math/rand"
	"os"
	"slices"
	"testing"
	"time"

	"github.com/moviedb/moviedb/catalog"
	"github.com/moviedb/moviedb/sqlstore"
	"github.com/moviedb/moviedb/sqlstore/sqltest"
)

// BenchmarkSearchAtScale times every search kind of issue 11 on an
// existing catalog, such as one imported from bench/imdbgen's files,
// named by MOVIEDB_BENCH_SEARCH_DB (sqlite:PATH or a postgres:// URL): one
// client, random parameters, p50 and p99 reported per kind, and each
// kind's plans logged (-v). It is skipped without the variable.
func BenchmarkSearchAtScale(b *testing.B) {
	dsn := os.Getenv("MOVIEDB_BENCH_SEARCH_DB")
	if dsn == "" {
		b.Skip("MOVIEDB_BENCH_SEARCH_DB names no catalog")
	}
	s := sqltest.OpenDSN(b, dsn)
	ctx := context.Background()
	busy, err := s.BusiestActorsForTest(ctx, 10)
	if err != nil {
		b.Fatal(err)
	}
	rnd := rand.New(rand.NewSource(1))
	date := func(s string) *catalog.Date {
		d, err := catalog.ParseDate(s)
		if err != nil {
			b.Fatal(err)
		}
		return &d
	}
	genres := []string{"Drama", "Comedy", "Documentary", "Action", "Romance", "Thriller", "Horror", "Western", "Film Noir"}
	kinds := []struct {
		name   string
		movies func() catalog.MovieSearch
	}{
		{"classic", func() catalog.MovieSearch {
			return catalog.MovieSearch{CountryIDs: []int64{int64(1 + rnd.Intn(3))}, ReleasedFrom: date("2000-01-01"), MinDuration: ptr(135),
				GenreNames: []string{"Action", "Drama"}, Sort: catalog.MovieSortReleaseDate, Desc: true}
		}},
		// The classic query without its country, as on an IMDb import,
		// which has no countries.
		{"classic-no-country", func() catalog.MovieSearch {
			return catalog.MovieSearch{ReleasedFrom: date(fmt.Sprintf("%d-01-01", 1990+rnd.Intn(30))), MinDuration: ptr(135),
				GenreNames: []string{"Action", "Drama"}, Sort: catalog.MovieSortReleaseDate, Desc: true}
		}},
		{"genre+decade", func() catalog.MovieSearch {
			d := 1950 + 10*rnd.Intn(8)
			return catalog.MovieSearch{GenreNames: []string{genres[rnd.Intn(len(genres))]}, ReleasedFrom: date(fmt.Sprintf("%d-01-01", d)),
				ReleasedTo: date(fmt.Sprintf("%d-12-31", d+9)), Sort: catalog.MovieSortReleaseDate, Desc: true}
		}},
		{"q=the", func() catalog.MovieSearch { return catalog.MovieSearch{Q: "the"} }},
		{"q=love", func() catalog.MovieSearch { return catalog.MovieSearch{Q: "love"} }},
		{"q=rare", func() catalog.MovieSearch {
			return catalog.MovieSearch{Q: []string{"juxtapose", "kobayashi", "selselvor", "prachi"}[rnd.Intn(4)]}
		}},
		{"actor=busy", func() catalog.MovieSearch { return catalog.MovieSearch{ActorIDs: []int64{busy[rnd.Intn(len(busy))]}} }},
		{"sort=-popularity", func() catalog.MovieSearch { return catalog.MovieSearch{Sort: catalog.MovieSortPopularity, Desc: true} }},
		{"home-recent", func() catalog.MovieSearch {
			return catalog.MovieSearch{Sort: catalog.MovieSortCreatedAt, Desc: true, Page: catalog.Page{Size: 12}}
		}},
		{"page=1000", func() catalog.MovieSearch { return catalog.MovieSearch{Page: catalog.Page{Number: 1000}} }},
		{"persons?q=john", nil},
	}
	for _, k := range kinds {
		b.Run(k.name, func(b *testing.B) {
			var run func() (catalog.List[struct{}], error)
			if k.movies != nil {
				plan, err := s.SearchPlanForTest(ctx, k.movies())
				logPlan(b, k.name, plan, err)
				run = func() (catalog.List[struct{}], error) {
					l, err := s.SearchMovies(ctx, k.movies())
					return catalog.List[struct{}]{Total: l.Total, TotalRelation: l.TotalRelation}, err
				}
			} else {
				plan, err := s.PersonSearchPlanForTest(ctx, "john")
				logPlan(b, k.name, plan, err)
				run = func() (catalog.List[struct{}], error) {
					l, err := s.SearchPersons(ctx, "john", catalog.Page{})
					return catalog.List[struct{}]{Total: l.Total, TotalRelation: l.TotalRelation}, err
				}
			}
			var lat []time.Duration
			var last catalog.List[struct{}]
			for b.Loop() {
				t0 := time.Now()
				l, err := run()
				if err != nil {
					b.Fatal(err)
				}
				lat = append(lat, time.Since(t0))
				last = l
			}
			slices.Sort(lat)
			b.ReportMetric(float64(lat[len(lat)/2].Microseconds())/1000, "p50-ms")
			b.ReportMetric(float64(lat[len(lat)*99/100].Microseconds())/1000, "p99-ms")
			b.Logf("%s: last total %d %s", k.name, last.Total, last.TotalRelation)
		})
	}
}

var _ = sqlstore.SQLite
