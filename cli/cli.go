// Package cli is moviedb's command line: a switch over subcommands (serve,
// migrate, users, files, import, export, backup, version, help), each with
// a flag set of its own whose configuration flags fall back to MOVIEDB_*
// environment variables.
package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"slices"
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
	case "users":
		return e.users(ctx, args)
	case "files":
		return e.files(ctx, args)
	case "import":
		return e.importData(ctx, args)
	case "export":
		return e.exportData(ctx, args)
	case "backup":
		return e.backup(ctx, args)
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
	options []option  // configuration flags, with environment fallbacks
	flags   []argFlag // flags saying what the command acts on
	notes   string    // printed below the summary in the command's help
	// secret marks a command that reads a secret from stdin: a stray
	// argument is not echoed in the error, as it may be that secret.
	secret bool
}

// An argFlag is a flag of one command saying what it acts on, such as the
// username of `users create`. It has no environment fallback.
type argFlag struct {
	name  string // without dashes
	value string // placeholder for the value in the help; "" for a boolean flag
	usage string
}

// The flags of the users commands.
var (
	flagAdmin     = argFlag{"admin", "", "make the new account an admin, who may edit the catalog"}
	flagUsername  = argFlag{"username", "NAME", "the account's username: 3 to 32 letters, digits, _, . or -"}
	flagEmail     = argFlag{"email", "EMAIL", "the account's email address"}
	flagFirstName = argFlag{"first-name", "NAME", "the account holder's first name (optional)"}
	flagLastName  = argFlag{"last-name", "NAME", "the account holder's last name (optional)"}
	flagRole      = argFlag{"role", "admin|user", "the new role: admin edits the catalog, user keeps favorites"}
	flagDelete    = argFlag{"delete", "", "delete what is found, instead of only listing it"}
	flagMinAge    = argFlag{"min-age", "DURATION", "count objects without a row only when older than this (default 1h)"}
)

var (
	serveCommand = command{
		name:    "serve",
		args:    "[flags]",
		summary: "serve the API until SIGINT or SIGTERM, migrating the database first",
		options: []option{optAddr, optDB, optBaseURL, optLogLevel, optLogFormat, optShutdownTimeout, optTokenTTL,
			optMemoryLimit, optStorage, optMaxUploadBytes, optMaxImagePixels, optDemo},
		notes: adminBootstrapHelp,
	}
	filesGCCommand = command{
		name:    "files gc",
		args:    "[--delete] [flags]",
		summary: "list (and with --delete remove) stored images without a row and rows without an image",
		options: []option{optDB, optStorage},
		flags:   []argFlag{flagDelete, flagMinAge},
		notes: "Objects younger than --min-age are left alone: an upload in progress stores its\n" +
			"object a moment before its row. External images (keys external/…) are never touched.",
	}
	migrateUpCommand = command{
		name:    "migrate up",
		args:    "[flags]",
		summary: "apply the pending database migrations",
		options: []option{optDB},
	}
	migrateStatusCommand = command{
		name:    "migrate status",
		args:    "[flags]",
		summary: "list the database migrations and when each was applied",
		options: []option{optDB},
	}
	usersCreateCommand = command{
		name:    "users create",
		args:    "[--admin] --username NAME --email EMAIL [flags]",
		summary: "create an account, reading its password from stdin",
		options: []option{optDB},
		flags:   []argFlag{flagAdmin, flagUsername, flagEmail, flagFirstName, flagLastName},
		notes: "The password (8 to 256 characters) is read from stdin: on a terminal it is asked\n" +
			"for twice, without echo; otherwise the first line is read. It is never taken\n" +
			"from a flag. Pending database migrations are applied first.",
		secret: true,
	}
	usersSetRoleCommand = command{
		name:    "users set-role",
		args:    "--username NAME --role admin|user [flags]",
		summary: "make an account an admin, or a user again",
		options: []option{optDB},
		flags:   []argFlag{flagUsername, flagRole},
	}
	usersSetPasswordCommand = command{
		name:    "users set-password",
		args:    "USERNAME [flags]",
		summary: "give an account a new password, read from stdin, and sign it out everywhere",
		options: []option{optDB},
		notes: "The password is read as by users create, under the same rules. Every login token\n" +
			"and web session of the account is revoked with the old password. It also gives a\n" +
			"password to an account restored by import moviedb-json, which has none.",
		secret: true,
	}
	versionCommand = command{
		name:    "version",
		summary: "print the version and the commit it was built from",
	}
	helpCommand = command{
		name:    "help",
		args:    "[COMMAND]",
		summary: "show this help, or the flags of COMMAND",
	}

	allCommands = []command{serveCommand, migrateUpCommand, migrateStatusCommand,
		usersCreateCommand, usersSetRoleCommand, usersSetPasswordCommand, filesGCCommand, importCommand, exportCommand,
		backupCommand, versionCommand, helpCommand}
)

// adminBootstrapHelp explains the first-start admin, in the help of serve.
const adminBootstrapHelp = "On first start, when no admin exists and both MOVIEDB_ADMIN_EMAIL and\n" +
	"MOVIEDB_ADMIN_PASSWORD are set, serve creates an admin with them, named\n" +
	"MOVIEDB_ADMIN_USERNAME (default admin). These come from the environment only."

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
	case "users":
		printCommandHelp(e.stdout, usersCreateCommand, usersSetRoleCommand, usersSetPasswordCommand)
	case "users create":
		printCommandHelp(e.stdout, usersCreateCommand)
	case "users set-role":
		printCommandHelp(e.stdout, usersSetRoleCommand)
	case "users set-password":
		printCommandHelp(e.stdout, usersSetPasswordCommand)
	case "files", "files gc":
		printCommandHelp(e.stdout, filesGCCommand)
	case "import":
		printCommandHelp(e.stdout, importCommand)
	case "export":
		printCommandHelp(e.stdout, exportCommand)
	case "backup":
		printCommandHelp(e.stdout, backupCommand)
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
		usage := strings.TrimSpace(strings.TrimSuffix(c.name+" "+c.args, "[flags]"))
		if len(usage) > 16 {
			fmt.Fprintf(w, "  moviedb %s\n  %-24s %s\n", usage, "", c.summary)
			continue
		}
		fmt.Fprintf(w, "  moviedb %-16s %s\n", usage, c.summary)
	}
	fmt.Fprint(w, "\nConfiguration flags; each falls back to its environment variable, and a flag\ngiven on the command line wins over it:\n")
	printOptions(w, allOptions)
	fmt.Fprint(w, "\n"+adminBootstrapHelp+"\n")
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
	for _, c := range cs {
		if c.notes != "" {
			fmt.Fprintf(w, "\n%s\n", c.notes)
		}
	}
	// Commands shown together share most flags: each is listed once.
	var flags []argFlag
	var opts []option
	for _, c := range cs {
		for _, f := range c.flags {
			if !slices.Contains(flags, f) {
				flags = append(flags, f)
			}
		}
		for _, o := range c.options {
			if !slices.Contains(opts, o) {
				opts = append(opts, o)
			}
		}
	}
	if len(flags) > 0 {
		fmt.Fprint(w, "\nFlags:\n")
		for _, f := range flags {
			fmt.Fprintf(w, "  %s\n        %s\n", strings.TrimSpace("--"+f.name+" "+f.value), f.usage)
		}
	}
	if len(opts) > 0 {
		fmt.Fprint(w, "\nConfiguration flags; each falls back to its environment variable, and a flag\ngiven on the command line wins over it:\n")
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

// parseCommand parses the flags of c from args and resolves its config; the
// values of the command's own flags are read from the returned flag set. It
// prints the help of c and returns flag.ErrHelp for -h or --help.
func (e *env) parseCommand(c command, args []string) (config, *flag.FlagSet, error) {
	fs := commandFlagSet(c)
	if c.secret && passwordFlagGiven(args) {
		return config{}, nil, noPasswordFlagError(c)
	}
	if err := parseFlags(fs, args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			printCommandHelp(e.stdout, c)
		} else if c.secret && errors.Is(err, errUnexpectedArgument) {
			return config{}, nil, passwordArgumentError(c)
		}
		return config{}, nil, err
	}
	cfg, err := loadConfig(fs, e.getenv)
	return cfg, fs, err
}

// noPasswordFlagError is the error of a command reading a secret from
// stdin that is given a --password flag.
func noPasswordFlagError(c command) error {
	return usageErrorf("%s: there is no --password flag: the password is read from stdin, never from the command line (see moviedb %s --help)", c.name, c.name)
}

// passwordArgumentError is the error of a command reading a secret from
// stdin that is given an argument too many, which is not echoed: it may be
// that secret.
func passwordArgumentError(c command) error {
	return usageErrorf("%s: unexpected argument: the password is read from stdin, never from the command line (see moviedb %s --help)", c.name, c.name)
}

// commandFlagSet returns the flag set of c: its configuration options and
// its own flags.
func commandFlagSet(c command) *flag.FlagSet {
	fs := newFlagSet(c.name, c.options...)
	for _, f := range c.flags {
		if f.value == "" {
			fs.Bool(f.name, false, f.usage)
		} else {
			fs.String(f.name, "", f.usage)
		}
	}
	return fs
}

// passwordFlagGiven reports whether args, before any "--", hold a flag
// named password.
func passwordFlagGiven(args []string) bool {
	for _, a := range args {
		if a == "--" {
			return false
		}
		name, _, _ := strings.Cut(strings.TrimLeft(a, "-"), "=")
		if strings.HasPrefix(a, "-") && name == "password" {
			return true
		}
	}
	return false
}
