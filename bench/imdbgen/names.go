package main

import (
	"bufio"
	"compress/gzip"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
)

// A personGen derives a person's fixed traits (gender, name, years) from
// the seed and the nconst alone, so title.principals (actor or actress)
// and name.basics, written on different goroutines, agree without
// sharing state.
type personGen struct {
	seed                  uint64
	src                   *rand.PCG
	r                     *rand.Rand
	maleW, femaleW, lastW weighted
}

func newPersonGen(seed uint64, male, female, last weighted) personGen {
	src := rand.NewPCG(0, 0)
	return personGen{seed: seed, src: src, r: rand.New(src), maleW: male, femaleW: female, lastW: last}
}

// at points the generator at person n and returns whether she is a woman.
func (p *personGen) at(n int64) bool {
	p.src.Seed(p.seed, uint64(n)^0x6e616d6573)
	return p.r.IntN(5) < 2
}

func (p *personGen) female(n int64) bool { return p.at(n) }

// appendName appends person n's primary name: a first name, sometimes a
// middle initial, a particle or a suffix, rarely a single name.
func (p *personGen) appendName(l []byte, n int64) []byte {
	female := p.at(n)
	r := p.r
	if female {
		l = append(l, femaleNames[p.femaleW.pick(r)]...)
	} else {
		l = append(l, maleNames[p.maleW.pick(r)]...)
	}
	u := r.IntN(200)
	if u == 0 {
		return l // a single name, like Madonna
	}
	if u < 12 {
		l = append(l, ' ', byte('A'+r.IntN(26)), '.')
	}
	l = append(l, ' ')
	if u >= 12 && u < 18 {
		l = append(l, nameParticles[r.IntN(len(nameParticles))]...)
		l = append(l, ' ')
	}
	l = append(l, lastNames[p.lastW.pick(r)]...)
	if u >= 18 && u < 21 {
		l = append(l, ' ')
		l = append(l, nameSuffixes[r.IntN(len(nameSuffixes))]...)
	}
	return l
}

// writeNames writes name.basics: every person of the pools, in nconst
// order, credited or not (IMDb lists many people without a title).
func writeNames(dir string, seed uint64, male, female, last weighted, pools ...pool) (int64, error) {
	out, err := createTSV(dir, "name.basics.tsv.gz",
		"nconst\tprimaryName\tbirthYear\tdeathYear\tprimaryProfession\tknownForTitles")
	if err != nil {
		return 0, err
	}
	defer out.abort()
	p := newPersonGen(seed, male, female, last)
	var rows int64
	var l []byte
	for _, pl := range pools {
		for n := pl.first; n < pl.first+pl.size; n++ {
			l = appendID(l[:0], "nm", n)
			l = append(l, '\t')
			l = p.appendName(l, n)
			l = append(l, '\t')
			r := p.r
			birth := 0
			if r.IntN(5) < 2 {
				birth = 1870 + r.IntN(140)
			}
			l = appendOpt(l, birth)
			l = append(l, '\t')
			death := 0
			if birth > 0 && birth < 1950 && r.IntN(3) > 0 {
				death = birth + 30 + r.IntN(70)
			}
			l = appendOpt(l, death)
			l = append(l, '\t')
			prof := pl.prof
			if prof == "actor" && p.at(n) {
				prof = "actress"
			}
			l = append(l, prof...)
			l = append(l, "\t\\N\n"...)
			out.write(l)
			rows++
		}
	}
	return rows, out.close()
}

// A tsvOut is a gzipped TSV file being written beside its final name.
type tsvOut struct {
	path string
	f    *os.File
	z    *gzip.Writer
	w    *bufio.Writer
	err  error
	done bool
}

// createTSV starts dir/name with its header row. The gzip header carries
// no name and no time, so the bytes depend on the content alone.
func createTSV(dir, name, header string) (*tsvOut, error) {
	path := filepath.Join(dir, name)
	f, err := os.Create(path + ".tmp")
	if err != nil {
		return nil, fmt.Errorf("imdbgen: %w", err)
	}
	z, err := gzip.NewWriterLevel(f, gzip.BestSpeed)
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("imdbgen: %w", err)
	}
	t := &tsvOut{path: path, f: f, z: z, w: bufio.NewWriterSize(z, 1<<20)}
	t.write([]byte(header + "\n"))
	return t, nil
}

// write writes a row; the first error is kept for close.
func (t *tsvOut) write(b []byte) {
	if t.err == nil {
		_, t.err = t.w.Write(b)
	}
}

// close completes the file and gives it its final name.
func (t *tsvOut) close() error {
	err := t.err
	if err == nil {
		err = t.w.Flush()
	}
	if err == nil {
		err = t.z.Close()
	}
	if cerr := t.f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(t.path+".tmp", t.path)
	}
	t.done = true
	if err != nil {
		os.Remove(t.path + ".tmp")
		return fmt.Errorf("imdbgen: %s: %w", t.path, err)
	}
	return nil
}

// abort removes a file not closed, after an error.
func (t *tsvOut) abort() {
	if !t.done {
		t.f.Close()
		os.Remove(t.path + ".tmp")
	}
}
