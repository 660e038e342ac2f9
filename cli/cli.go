// Package cli is moviedb's command line: a switch over subcommands (serve,
// migrate, version, help), each with a flag set of its own whose flags fall
// back to MOVIEDB_* environment variables.
package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
)

// env is what a command may use of the process around it. Tests replace
// getenv; stdin is for commands that read secrets.
type env struct {
	stdin          io.Reader
	stdout, stderr io.Writer
	getenv         func(string) string
}

// Run runs the moviedb command line args (without the program name) and
// returns the process exit status: 0 on success, 1 when the command failed,
// 2 for a mistake in the command line or the environment. Errors are written
// to stderr as one line. Long-running commands stop when ctx is done.
func Run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	e := &env{stdin: stdin, stdout: stdout, stderr: stderr, getenv: os.Getenv}
	err := e.run(ctx, args)
	switch {
	case err == nil, errors.Is(err, flag.ErrHelp):
		return 0
	case errors.As(err, new(usageError)):
		e.fail(err)
		return 2
	default:
		e.fail(err)
		return 1
	}
}

// fail writes err to stderr as one line.
func (e *env) fail(err error) {
	msg := strings.Join(strings.Fields(strings.ReplaceAll(err.Error(), "\n", " ")), " ")
	fmt.Fprintln(e.stderr, "moviedb: "+msg)
}

func (e *env) run(ctx context.Context, args []string) error {
	if len(args) == 0 {
		return usageErrorf("no command given (run `moviedb help` to list them)")
	}
	cmd, args := args[0], args[1:]
	switch cmd {
	case "serve":
		return e.serve(ctx, args)
	case "migrate":
		return e.migrate(ctx, args)
	case "version":
		return e.version(args)
	case "help", "-h", "-help", "--help":
		return e.help(args)
	}
	return usageErrorf("unknown command %q (run `moviedb help` to list the commands)", cmd)
}

// A command is one entry of the help.
type command struct {
	name    string
	args    string
	summary string
	options []option
}

var (
	serveCommand = command{"serve", "[flags]",
		"serve the API until SIGINT or SIGTERM, migrating the database first",
		[]option{optAddr, optDB, optBaseURL, optLogLevel, optLogFormat, optShutdownTimeout}}
	migrateUpCommand = command{"migrate up", "[flags]",
		"apply the pending database migrations", []option{optDB}}
	migrateStatusCommand = command{"migrate status", "[flags]",
		"list the database migrations and when each was applied", []option{optDB}}
	versionCommand = command{"version", "",
		"print the version and the commit it was built from", nil}
	helpCommand = command{"help", "[COMMAND]",
		"show this help, or the flags of COMMAND", nil}

	allCommands = []command{serveCommand, migrateUpCommand, migrateStatusCommand, versionCommand, helpCommand}
)

// help prints the help of the command named by args, or of moviedb.
func (e *env) help(args []string) error {
	switch strings.Join(args, " ") {
	case "":
		printHelp(e.stdout)
	case "serve":
		printCommandHelp(e.stdout, serveCommand)
	case "migrate":
		printCommandHelp(e.stdout, migrateUpCommand, migrateStatusCommand)
	case "migrate up":
		printCommandHelp(e.stdout, migrateUpCommand)
	case "migrate status":
		printCommandHelp(e.stdout, migrateStatusCommand)
	case "version":
		printCommandHelp(e.stdout, versionCommand)
	default:
		return usageErrorf("help: unknown command %q (run `moviedb help` to list the commands)", strings.Join(args, " "))
	}
	return nil
}

func printHelp(w io.Writer) {
	fmt.Fprint(w, "moviedb is a self-hosted movie catalog service.\n\nUsage:\n")
	for _, c := range allCommands {
		fmt.Fprintf(w, "  moviedb %-16s %s\n", strings.TrimSpace(strings.TrimSuffix(c.name+" "+c.args, "[flags]")), c.summary)
	}
	fmt.Fprint(w, "\nConfiguration flags; each falls back to its environment variable, and a flag\ngiven on the command line wins over it:\n")
	printOptions(w, allOptions)
	fmt.Fprint(w, "\nRun `moviedb help COMMAND` or `moviedb COMMAND --help` for the flags a command takes.\n")
}

func printCommandHelp(w io.Writer, cs ...command) {
	fmt.Fprint(w, "Usage:\n")
	for _, c := range cs {
		fmt.Fprintf(w, "  moviedb %s\n", strings.TrimSpace(c.name+" "+c.args))
	}
	fmt.Fprintln(w)
	for _, c := range cs {
		fmt.Fprintf(w, "%s: %s\n", c.name, c.summary)
	}
	if opts := cs[0].options; len(opts) > 0 {
		fmt.Fprint(w, "\nFlags; each falls back to its environment variable, and a flag given on the\ncommand line wins over it:\n")
		printOptions(w, opts)
	}
}

func printOptions(w io.Writer, opts []option) {
	for _, o := range opts {
		def := o.def
		if def == "" {
			def = "http://ADDR"
		}
		fmt.Fprintf(w, "  --%s\n        %s\n        env %s, default %s\n", o.name, o.usage, o.env, def)
	}
}

// parseCommand parses the flags of c from args and resolves its config. It
// prints the help of c and returns flag.ErrHelp for -h or --help.
func (e *env) parseCommand(c command, args []string) (config, error) {
	fs := newFlagSet(c.name, c.options...)
	if err := parseFlags(fs, args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			printCommandHelp(e.stdout, c)
		}
		return config{}, err
	}
	return loadConfig(fs, e.getenv)
}
