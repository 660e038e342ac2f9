package cli

import (
	"fmt"
	"runtime/debug"
)

// Version is the moviedb release, set when building a release with
// -ldflags "-X github.com/moviedb/moviedb/cli.Version=v1.2.3".
var Version = "dev"

// version prints "moviedb VERSION (COMMIT)".
func (e *env) version(args []string) error {
	if _, _, err := e.parseCommand(versionCommand, args); err != nil {
		return err
	}
	fmt.Fprintln(e.stdout, versionString())
	return nil
}

// versionString returns "moviedb VERSION (COMMIT)", with the commit the Go
// toolchain recorded in the binary, if any.
func versionString() string {
	return fmt.Sprintf("moviedb %s (%s)", buildVersion(), buildCommit())
}

// buildVersion returns Version, or the module version `go install` recorded
// when Version was not set at build time.
func buildVersion() string {
	if bi, ok := debug.ReadBuildInfo(); ok && Version == "dev" && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
		return bi.Main.Version
	}
	return Version
}

// buildCommit returns the VCS revision the binary was built from, marked
// "-dirty" when the work tree had changes, or "unknown commit".
func buildCommit() string {
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return "unknown commit"
	}
	var rev, modified string
	for _, s := range bi.Settings {
		switch s.Key {
		case "vcs.revision":
			rev = s.Value
		case "vcs.modified":
			modified = s.Value
		}
	}
	if rev == "" {
		return "unknown commit"
	}
	if len(rev) > 12 {
		rev = rev[:12]
	}
	if modified == "true" {
		rev += "-dirty"
	}
	return rev
}
