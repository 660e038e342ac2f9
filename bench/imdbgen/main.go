// Command imdbgen writes an IMDb-shaped catalog of any size in the four
// TSV files `moviedb import imdb` reads (title.basics, title.crew,
// title.principals and name.basics, gzipped), for the scale benchmark
// bench/scale.sh. No IMDb data is used: titles, names and credits are
// drawn from a seeded random generator, shaped like IMDb's dumps (see
// gen.go), so the same flags always give byte-identical files.
//
//	go run ./bench/imdbgen -movies 1000000 -seed 1 -out /data/imdb-1m
//
// -movies counts the feature films the importer keeps; the files also hold
// shorts, series, episodes and adult titles it must skip. Files are written
// beside their final names and renamed when complete, and a DONE file
// (with the flags) is written last, so a directory with DONE is complete.
package main

import (
	"flag"
	"fmt"
	"os"
	"strings"
)

func main() {
	movies := flag.Int("movies", 10000, "number of feature films (titleType movie, not adult) to write")
	seed := flag.Uint64("seed", 1, "random seed: the same seed and size give the same files")
	out := flag.String("out", "", "directory to write the four .tsv.gz files and DONE into (created if missing)")
	rare := flag.Bool("rare-words", false, "print the rare title words (each in about one title in 5,000), one a line, and exit")
	flag.Parse()
	if *rare {
		fmt.Println(strings.Join(rareWords, "\n"))
		return
	}
	if *out == "" || *movies < 1 || flag.NArg() > 0 {
		fmt.Fprintln(os.Stderr, "usage: imdbgen -movies N -seed S -out DIR")
		flag.PrintDefaults()
		os.Exit(2)
	}
	stats, err := Generate(*out, Config{Movies: *movies, Seed: *seed})
	if err != nil {
		fmt.Fprintln(os.Stderr, "imdbgen:", err)
		os.Exit(1)
	}
	fmt.Printf("imdbgen: %s: %d titles (%d movies), %d principals, %d names\n",
		*out, stats.Titles, stats.Movies, stats.Principals, stats.Names)
}
