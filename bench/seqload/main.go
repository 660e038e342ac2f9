// Command seqload is the one-client half of bench/scale.sh: it issues GET
// requests one after another for a duration, each on a path made from a
// template with random parameters, and prints the latency percentiles.
//
//	seqload -base http://127.0.0.1:8098 -params params.txt -path '/api/v1/movies/{movie}' -d 15s
//
// A {name} in the path is replaced, for every request, by a random value
// of parameter name from the parameter file (see params.go; bench/template.lua
// reads the same file for wrk). A response that is not 2xx is an error:
// seqload reports the first one and exits with status 1, so a benchmark
// never times error pages.
package main

import (
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"os"
	"slices"
	"strings"
	"time"
)

func main() {
	base := flag.String("base", "http://127.0.0.1:8098", "server address")
	paramsFile := flag.String("params", "", "parameter file: name=value lines (value lo..hi is a range of integers)")
	path := flag.String("path", "", "path template, {name} replaced by a random value of parameter name")
	duration := flag.Duration("d", 15*time.Second, "how long to run")
	header := flag.String("H", "", `a request header, "Name: value"`)
	flag.Parse()
	if *path == "" || flag.NArg() > 0 {
		fmt.Fprintln(os.Stderr, "usage: seqload -base URL -params FILE -path TEMPLATE [-d 15s] [-H 'Name: value']")
		os.Exit(2)
	}
	params := params{}
	if *paramsFile != "" {
		var err error
		if params, err = readParams(*paramsFile); err != nil {
			fmt.Fprintln(os.Stderr, "seqload:", err)
			os.Exit(2)
		}
	}
	if err := params.check(*path); err != nil {
		fmt.Fprintln(os.Stderr, "seqload:", err)
		os.Exit(2)
	}
	res, err := run(*base, *path, *header, params, *duration)
	if err != nil {
		fmt.Fprintln(os.Stderr, "seqload:", err)
		os.Exit(1)
	}
	fmt.Println(res)
}

// result is what one run measured.
type result struct {
	count    int
	p50, p99 time.Duration
}

func (r result) String() string {
	return fmt.Sprintf("requests=%d p50=%s p99=%s", r.count, ms(r.p50), ms(r.p99))
}

func ms(d time.Duration) string { return fmt.Sprintf("%.2fms", float64(d)/float64(time.Millisecond)) }

// run requests paths from template one at a time for duration; the first
// response that is not 2xx ends it with an error.
func run(base, template, header string, ps params, duration time.Duration) (result, error) {
	client := &http.Client{Timeout: time.Minute}
	r := rand.New(rand.NewPCG(uint64(time.Now().UnixNano()), 0))
	var lat []time.Duration
	var path strings.Builder
	end := time.Now().Add(duration)
	for len(lat) == 0 || time.Now().Before(end) {
		path.Reset()
		ps.expand(&path, template, r)
		req, err := http.NewRequest(http.MethodGet, base+path.String(), nil)
		if err != nil {
			return result{}, fmt.Errorf("%s: %w", path.String(), err)
		}
		if name, value, ok := strings.Cut(header, ":"); ok {
			req.Header.Set(strings.TrimSpace(name), strings.TrimSpace(value))
		}
		start := time.Now()
		resp, err := client.Do(req)
		if err != nil {
			return result{}, fmt.Errorf("GET %s: %w", path.String(), err)
		}
		// The body is read whole: its transfer is part of the answer.
		_, err = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		took := time.Since(start)
		if err != nil {
			return result{}, fmt.Errorf("GET %s: reading the body: %w", path.String(), err)
		}
		if resp.StatusCode < 200 || resp.StatusCode > 299 {
			return result{}, fmt.Errorf("GET %s: status %s after %d good requests", path.String(), resp.Status, len(lat))
		}
		lat = append(lat, took)
	}
	slices.Sort(lat)
	return result{count: len(lat), p50: percentile(lat, 50), p99: percentile(lat, 99)}, nil
}

// percentile returns the p-th percentile of sorted latencies (nearest rank).
func percentile(sorted []time.Duration, p int) time.Duration {
	i := (len(sorted)*p + 99) / 100
	return sorted[max(0, min(i, len(sorted))-1)]
}
