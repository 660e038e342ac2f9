package main

import (
	"bufio"
	"fmt"
	"math/rand/v2"
	"os"
	"regexp"
	"strconv"
	"strings"
)

// params holds the values of each parameter of a parameter file: lines
// name=value, a name repeated for each of its values; a value lo..hi
// stands for every integer from lo to hi. Lines starting with # and blank
// lines are ignored. bench/template.lua reads the same format.
type params map[string][]value

type value struct {
	text   string
	lo, hi int64 // a range when hi > 0
}

var rangeValue = regexp.MustCompile(`^(\d+)\.\.(\d+)$`)

func readParams(name string) (params, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	ps := params{}
	sc := bufio.NewScanner(f)
	for line := 1; sc.Scan(); line++ {
		text := sc.Text()
		if text == "" || strings.HasPrefix(text, "#") {
			continue
		}
		k, v, ok := strings.Cut(text, "=")
		if !ok || k == "" {
			return nil, fmt.Errorf("%s:%d: want name=value, got %q", name, line, text)
		}
		val := value{text: v}
		if m := rangeValue.FindStringSubmatch(v); m != nil {
			val.lo, _ = strconv.ParseInt(m[1], 10, 64)
			val.hi, _ = strconv.ParseInt(m[2], 10, 64)
			if val.hi < val.lo || val.hi == 0 {
				return nil, fmt.Errorf("%s:%d: empty range %q", name, line, v)
			}
		}
		ps[k] = append(ps[k], val)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	return ps, nil
}

var placeholder = regexp.MustCompile(`\{([A-Za-z0-9_]+)\}`)

// check says which placeholders of template have no values.
func (ps params) check(template string) error {
	ms := placeholder.FindAllStringSubmatch(template, -1)
	if len(ms) != strings.Count(template, "{") || len(ms) != strings.Count(template, "}") {
		return fmt.Errorf("path %s: a brace that is not a {name} placeholder", template)
	}
	for _, m := range ms {
		if len(ps[m[1]]) == 0 {
			return fmt.Errorf("path %s: parameter %q has no values in the parameter file", template, m[1])
		}
	}
	return nil
}

// expand writes template with each placeholder replaced by a random value.
func (ps params) expand(b *strings.Builder, template string, r *rand.Rand) {
	for {
		i := strings.IndexByte(template, '{')
		j := strings.IndexByte(template, '}')
		if i < 0 || j < i {
			b.WriteString(template)
			return
		}
		b.WriteString(template[:i])
		vs := ps[template[i+1:j]]
		v := vs[r.IntN(len(vs))]
		if v.hi > 0 {
			b.WriteString(strconv.FormatInt(v.lo+r.Int64N(v.hi-v.lo+1), 10))
		} else {
			b.WriteString(v.text)
		}
		template = template[j+1:]
	}
}
