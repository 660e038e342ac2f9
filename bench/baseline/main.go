// Command baseline serves one fixed 1 KB JSON body on every path. It is
// the yardstick of bench/load.sh: the requests per second the machine can
// answer over net/http with nothing behind them, measured in the same run
// and under the same load generator as moviedb.
package main

import (
	"flag"
	"log"
	"net/http"
	"strings"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:8099", "address to listen on")
	flag.Parse()
	body := []byte(`{"id":1,"title":"` + strings.Repeat("x", 1000) + `"}`)
	http.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Write(body)
	})
	log.Fatal(http.ListenAndServe(*addr, nil))
}
