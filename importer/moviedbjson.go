package importer

import (
	"encoding/json"
	"fmt"

	"github.com/moviedb/moviedb/sqlstore"
)

// restore reads moviedb's own export (sqlstore.Export) back, keeping ids,
// each file in one transaction.
func (r *run) restore(files []string) error {
	for _, name := range files {
		in, err := open(name)
		if err != nil {
			return err
		}
		r.in = in
		err = r.restoreFile(in)
		in.Close()
		if err != nil {
			return err
		}
	}
	return nil
}

func (r *run) restoreFile(in *input) (err error) {
	lines := &lineIndex{r: in.r}
	dec := json.NewDecoder(lines)
	dec.UseNumber()
	fail := func(format string, args ...any) error {
		return fmt.Errorf("importer: %s:%d: %s", in.name, lines.lineAt(dec.InputOffset()), fmt.Sprintf(format, args...))
	}
	if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
		return fail("want a moviedb export: a JSON object")
	}
	rs, err := r.store.BeginRestore(r.ctx)
	if err != nil {
		return err
	}
	defer rs.Rollback()
	sawFormat := false
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return fail("broken JSON: %v", err)
		}
		key, _ := tok.(string)
		switch key {
		case "format", "version", "exported_at":
			var v any
			if err := dec.Decode(&v); err != nil {
				return fail("broken JSON: %v", err)
			}
			switch {
			case key == "format" && v != sqlstore.ExportFormat:
				return fail("format %v: want %q", v, sqlstore.ExportFormat)
			case key == "version" && fmt.Sprint(v) != fmt.Sprint(sqlstore.ExportVersion):
				return fail("export version %v: this moviedb reads version %d", v, sqlstore.ExportVersion)
			}
			sawFormat = sawFormat || key == "format"
			continue
		}
		if !sawFormat {
			return fail("want \"format\": %q first", sqlstore.ExportFormat)
		}
		if tok, err := dec.Token(); err != nil || tok != json.Delim('[') {
			return fail("%q: want an array of rows", key)
		}
		for n := 0; dec.More(); n++ {
			var row map[string]any
			if err := dec.Decode(&row); err != nil {
				return fail("%s row %d: %v", key, n+1, err)
			}
			if err := rs.Row(key, row); err != nil {
				return fail("%s row %d: %v", key, n+1, err)
			}
			if n%10000 == 0 {
				if err := r.ctx.Err(); err != nil {
					return err
				}
			}
		}
		if _, err := dec.Token(); err != nil {
			return fail("broken JSON: %v", err)
		}
	}
	if !sawFormat {
		return fail("not a moviedb export: no \"format\"")
	}
	if err := rs.Commit(); err != nil {
		return err
	}
	r.sum.Add(rs.Stats)
	r.progress()
	return nil
}
