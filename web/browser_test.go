package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/moviedb/moviedb/sqlstore"
)

// Browser tests drive Debian's chromium, headless, through chromedp against
// a real server on each engine. They skip, saying why, where chromium is
// missing; .ci/run installs it.

// chromium returns the path of a Chromium or Chrome binary, or skips t.
func chromium(t *testing.T) string {
	t.Helper()
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	t.Skip("chromium is not installed: browser tests skipped (apt-get install -y chromium)")
	return ""
}

// A screen is a viewport the pages are checked at.
type screen struct {
	name          string
	width, height int64
	mobile        bool
}

var (
	desktop = screen{"desktop", 1280, 800, false}
	phone   = screen{"phone", 390, 844, true}
)

// newTab starts a headless browser with one tab at screen sc, closed when
// t ends.
func newTab(t *testing.T, sc screen) context.Context {
	t.Helper()
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(chromium(t)),
		chromedp.WindowSize(int(sc.width), int(sc.height)),
		// Tests run as root in CI containers, where the sandbox cannot start.
		chromedp.NoSandbox,
		chromedp.Flag("disable-dev-shm-usage", true),
	)
	alloc, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelTab := chromedp.NewContext(alloc)
	ctx, cancelTime := context.WithTimeout(ctx, 2*time.Minute)
	t.Cleanup(func() { cancelTime(); cancelTab(); cancelAlloc() })
	vp := []chromedp.EmulateViewportOption{}
	if sc.mobile {
		vp = append(vp, chromedp.EmulateScale(2), chromedp.EmulateMobile, chromedp.EmulatePortrait)
	}
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(sc.width, sc.height, vp...)); err != nil {
		t.Fatalf("start chromium: %v", err)
	}
	return ctx
}

// step runs actions and fails t, naming what, when they fail.
func step(t *testing.T, ctx context.Context, what string, actions ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	if err := chromedp.Do(ctx, actions...); err != nil {
		t.Fatalf("%s: %v", what, err)
	}
}

// navigate runs actions that load a page (a click, a form submit, a
// navigation) and fails t unless the page answered want.
func navigate(t *testing.T, ctx context.Context, what string, want int64, actions ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	resp, err := chromedp.RunResponse(ctx, actions...)
	if err != nil {
		t.Fatalf("%s: %v", what, err)
	}
	if resp.Status != want {
		t.Fatalf("%s: %s answered %d; want %d", what, resp.URL, resp.Status, want)
	}
}

// text returns the text of the first element sel matches.
func text(t *testing.T, ctx context.Context, sel string) string {
	t.Helper()
	s, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(sel)))
	if err != nil {
		t.Fatalf("text of %s: %v", sel, err)
	}
	return s
}

// wantText fails t unless the element sel matches holds every string of want.
func wantText(t *testing.T, ctx context.Context, sel string, want ...string) {
	t.Helper()
	got := text(t, ctx, sel)
	for _, w := range want {
		if !strings.Contains(got, w) {
			t.Errorf("text of %s = %q; want it to contain %q", sel, got, w)
		}
	}
}

// checkRendering fails t for a broken image on the page, or for a page
// wider than the viewport (a phone would have to scroll sideways).
func checkRendering(t *testing.T, ctx context.Context, what string) {
	t.Helper()
	broken, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](
		`Array.from(document.images).filter(i => i.complete && i.naturalWidth === 0).map(i => i.currentSrc || i.src)`))
	if err != nil {
		t.Fatalf("%s: find broken images: %v", what, err)
	}
	if len(broken) > 0 {
		t.Errorf("%s: broken images %q", what, broken)
	}
	overflow, err := chromedp.Run(ctx, chromedp.Evaluate[bool](
		`document.documentElement.scrollWidth > document.documentElement.clientWidth + 1`))
	if err != nil {
		t.Fatalf("%s: measure page: %v", what, err)
	}
	if overflow {
		t.Errorf("%s: the page is wider than the screen", what)
	}
}

// TestBrowserJourney: register, log in, search with two filters, open a
// movie, favorite it, see it on /favorites, log out.
func TestBrowserJourney(t *testing.T) {
	chromium(t)
	runSites(t, func(t *testing.T, st *site) {
		ctx := newTab(t, desktop)
		navigate(t, ctx, "open register", 200, chromedp.Navigate(st.URL+"/register"))
		step(t, ctx, "fill registration",
			chromedp.SendKeys(chromedp.ID("username"), "hicks"),
			chromedp.SendKeys(chromedp.ID("email"), "hicks@example.com"),
			chromedp.SendKeys(chromedp.ID("password"), "game-over-man"))
		navigate(t, ctx, "register", 200, chromedp.Click(chromedp.CSS(`main form button[type=submit]`)))
		wantText(t, ctx, `header nav a[href="/account"]`, "hicks")
		checkRendering(t, ctx, "home")

		navigate(t, ctx, "log out", 200, chromedp.Click(chromedp.CSS(`header form[action="/logout"] button`)))
		wantText(t, ctx, "header nav", "Log in")
		navigate(t, ctx, "open login", 200, chromedp.Click(chromedp.CSS(`header nav a[href="/login"]`)))
		step(t, ctx, "fill login",
			chromedp.SendKeys(chromedp.ID("login"), "hicks"),
			chromedp.SendKeys(chromedp.ID("password"), "game-over-man"))
		navigate(t, ctx, "log in", 200, chromedp.Click(chromedp.CSS(`main form button[type=submit]`)))
		wantText(t, ctx, `header nav a[href="/account"]`, "hicks")

		navigate(t, ctx, "open search", 200, chromedp.Click(chromedp.CSS(`header nav a[href="/movies"]`)))
		step(t, ctx, "two filters",
			chromedp.Click(chromedp.CSS(fmt.Sprintf(`input[name=genre][value="%d"]`, st.ids.scifi))),
			chromedp.SendKeys(chromedp.ID("year_from"), "1980"))
		navigate(t, ctx, "search", 200, chromedp.Click(chromedp.CSS(`form.filters button[type=submit]`)))
		wantText(t, ctx, ".results", "1 movie", "Blade Runner")
		if got := text(t, ctx, ".results"); strings.Contains(got, "Alien") {
			t.Errorf("results = %q; want Alien (1979) filtered out", got)
		}
		checkRendering(t, ctx, "search")

		navigate(t, ctx, "open movie", 200, chromedp.Click(chromedp.CSS(`.results .card a`)))
		wantText(t, ctx, "h1", "Blade Runner")
		wantText(t, ctx, "main", "Harrison Ford", "as Rick Deckard", "Ridley Scott")
		checkRendering(t, ctx, "movie")
		navigate(t, ctx, "favorite", 200, chromedp.Click(chromedp.CSS(`.favorite button`)))
		wantText(t, ctx, ".favorite", "Remove from favorites", "1 person keeps it")

		navigate(t, ctx, "open favorites", 200, chromedp.Click(chromedp.CSS(`header nav a[href="/favorites"]`)))
		wantText(t, ctx, "main", "Blade Runner")
		checkRendering(t, ctx, "favorites")
		navigate(t, ctx, "log out", 200, chromedp.Click(chromedp.CSS(`header form[action="/logout"] button`)))
		wantText(t, ctx, "header nav", "Log in", "Register")
		navigate(t, ctx, "favorites signed out", 200, chromedp.Navigate(st.URL+"/favorites"))
		wantText(t, ctx, "h1", "Log in")
	})
}

// TestBrowserAdmin: an admin creates a movie with a poster and cast, and it
// appears in search.
func TestBrowserAdmin(t *testing.T) {
	chromium(t)
	runSites(t, func(t *testing.T, st *site) {
		poster := filepath.Join(t.TempDir(), "poster.png")
		if err := os.WriteFile(poster, testPNG(1000, 1500, 150), 0o644); err != nil {
			t.Fatal(err)
		}
		ctx := newTab(t, desktop)
		navigate(t, ctx, "open login", 200, chromedp.Navigate(st.URL+"/login"))
		step(t, ctx, "fill login", chromedp.SendKeys(chromedp.ID("login"), "admin"), chromedp.SendKeys(chromedp.ID("password"), adminPassword))
		navigate(t, ctx, "log in", 200, chromedp.Click(chromedp.CSS(`main form button[type=submit]`)))
		navigate(t, ctx, "new movie", 200, chromedp.Click(chromedp.CSS(`header nav a[href="/admin/movies/new"]`)))

		// A wrong value is shown beside its field, and nothing is created.
		step(t, ctx, "fill a bad movie", chromedp.SendKeys(chromedp.ID("title"), "Legend"), chromedp.SendKeys(chromedp.ID("duration"), "0"))
		navigate(t, ctx, "create a bad movie", 422, chromedp.Click(chromedp.CSS(`form.edit button[type=submit]`)))
		wantText(t, ctx, "#duration-error", "must be between 1 and 1000 minutes")

		step(t, ctx, "fix the movie",
			chromedp.SetValue(chromedp.ID("duration"), "94"),
			chromedp.SetValue(chromedp.ID("release_date"), "1985-12-13"),
			chromedp.SendKeys(chromedp.ID("director_id"), fmt.Sprint(st.ids.scott)),
			chromedp.SetValue(chromedp.ID("country_id"), fmt.Sprint(st.ids.uk)),
			chromedp.Click(chromedp.CSS(fmt.Sprintf(`input[name=genre][value="%d"]`, st.ids.drama))))
		navigate(t, ctx, "create movie", 200, chromedp.Click(chromedp.CSS(`form.edit button[type=submit]`)))
		wantText(t, ctx, "h1", "Edit Legend")

		step(t, ctx, "choose poster", chromedp.SetUploadFiles(chromedp.ID("poster"), []string{poster}))
		navigate(t, ctx, "upload poster", 200, chromedp.Click(chromedp.CSS(`form[action$="/poster"] button`)))
		step(t, ctx, "add cast",
			chromedp.SendKeys(chromedp.ID("cast-name"), "Jack"),
			chromedp.SendKeys(chromedp.ID("cast-person"), fmt.Sprint(st.ids.ford)))
		navigate(t, ctx, "add Jack", 200, chromedp.Click(chromedp.CSS(`form[action$="/cast"] button`)))
		step(t, ctx, "add a character nobody known plays",
			chromedp.SendKeys(chromedp.ID("cast-name"), "Darkness"),
			chromedp.SetValue(chromedp.ID("cast-role"), "supporting"))
		navigate(t, ctx, "add Darkness", 200, chromedp.Click(chromedp.CSS(`form[action$="/cast"] button`)))
		wantText(t, ctx, "table.cast", "Jack", "Harrison Ford", "Darkness")

		navigate(t, ctx, "search it", 200, chromedp.Navigate(st.URL+"/movies?q=legend"))
		wantText(t, ctx, ".results", "1 movie", "Legend")
		checkRendering(t, ctx, "search with the new movie")
		navigate(t, ctx, "open it", 200, chromedp.Click(chromedp.CSS(`.results .card a`)))
		wantText(t, ctx, "main", "Legend", "1 h 34 min", "United Kingdom", "Drama", "Ridley Scott",
			"Leading", "as Jack", "Supporting", "Unknown actor", "as Darkness")
		// The poster shown is a thumbnail media made of the upload, as
		// wide as its URL asks, not the 1000-pixel original.
		type shown struct {
			Src   string `json:"src"`
			Width int    `json:"width"`
		}
		got, err := chromedp.Run(ctx, chromedp.Evaluate[shown](
			`(i => ({src: i.currentSrc, width: i.naturalWidth}))(document.querySelector(".poster img"))`))
		m := regexp.MustCompile(`^` + regexp.QuoteMeta(st.URL) + `/files/posters/[^?]+\?w=(\d+)$`).FindStringSubmatch(got.Src)
		if err != nil || m == nil || fmt.Sprint(got.Width) != m[1] {
			t.Errorf("poster shown = %+v, %v; want a thumbnail at %s/files/posters/ as wide as its w", got, err, st.URL)
		}
		checkRendering(t, ctx, "new movie")
	})
}

// TestBrowserForeignForm: a form on another site that posts to moviedb is
// refused, and changes nothing.
func TestBrowserForeignForm(t *testing.T) {
	chromium(t)
	runSites(t, func(t *testing.T, st *site) {
		target := fmt.Sprintf("%s/movies/%d/favorite", st.URL, st.ids.bladeRunner)
		evil := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/html")
			fmt.Fprintf(w, `<!doctype html><title>Win a prize</title><form method="post" action="%s"><button id="go">Claim</button></form>`, target)
		}))
		t.Cleanup(evil.Close)
		// The evil page is on localhost, another site than 127.0.0.1.
		evilURL := strings.Replace(evil.URL, "127.0.0.1", "localhost", 1)

		ctx := newTab(t, desktop)
		navigate(t, ctx, "open login", 200, chromedp.Navigate(st.URL+"/login"))
		step(t, ctx, "fill login", chromedp.SendKeys(chromedp.ID("login"), "ripley"), chromedp.SendKeys(chromedp.ID("password"), userPassword))
		navigate(t, ctx, "log in", 200, chromedp.Click(chromedp.CSS(`main form button[type=submit]`)))
		navigate(t, ctx, "open the foreign page", 200, chromedp.Navigate(evilURL))
		navigate(t, ctx, "post the foreign form", 403, chromedp.Click(chromedp.ID("go")))
		wantText(t, ctx, "main", "sent from another site")
		if fav, err := st.store.IsFavorite(context.Background(), st.ids.user, st.ids.bladeRunner); err != nil || fav {
			t.Errorf("IsFavorite after the foreign form = %v, %v; want false", fav, err)
		}
	})
}

// TestBrowserScreens opens the main pages at desktop and phone widths, as a
// signed-in user, and checks that every image loads and nothing is wider
// than the screen. With MOVIEDB_SCREENSHOTS=1 it writes their screenshots
// to docs/screenshots.
func TestBrowserScreens(t *testing.T) {
	chromium(t)
	shots := os.Getenv("MOVIEDB_SCREENSHOTS") == "1"
	runSites(t, func(t *testing.T, st *site) {
		shoot := shots && st.store.Engine() == sqlstore.SQLite
		for _, sc := range []screen{desktop, phone} {
			t.Run(sc.name, func(t *testing.T) {
				ctx := newTab(t, sc)
				navigate(t, ctx, "open login", 200, chromedp.Navigate(st.URL+"/login"))
				step(t, ctx, "fill login", chromedp.SendKeys(chromedp.ID("login"), "ripley"), chromedp.SendKeys(chromedp.ID("password"), userPassword))
				navigate(t, ctx, "log in", 200, chromedp.Click(chromedp.CSS(`main form button[type=submit]`)))
				for _, pg := range []struct{ name, path, want string }{
					{"home", "/", "Recently added"},
					{"search", fmt.Sprintf("/movies?genre=%d&genre=%d&sort=-release_date", st.ids.scifi, st.ids.drama), "movies"},
					{"movie", fmt.Sprintf("/movies/%d", st.ids.alien), "Ellen Ripley"},
					{"person", fmt.Sprintf("/persons/%d", st.ids.scott), "Director of"},
					{"favorites", "/favorites", "Alien"},
				} {
					navigate(t, ctx, pg.name, 200, chromedp.Navigate(st.URL+pg.path))
					wantText(t, ctx, "main", pg.want)
					checkRendering(t, ctx, pg.name+" at "+sc.name+" width")
					if !shoot {
						continue
					}
					png, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
					if err != nil {
						t.Fatalf("screenshot of %s: %v", pg.name, err)
					}
					file := filepath.Join("..", "docs", "screenshots", pg.name+"-"+sc.name+".png")
					if err := os.MkdirAll(filepath.Dir(file), 0o755); err != nil {
						t.Fatal(err)
					}
					if err := os.WriteFile(file, png, 0o644); err != nil {
						t.Fatal(err)
					}
				}
			})
		}
	})
}
