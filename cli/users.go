package cli

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"slices"
	"strings"

	"golang.org/x/term"

	"github.com/moviedb/moviedb/auth"
	"github.com/moviedb/moviedb/catalog"
	"github.com/moviedb/moviedb/sqlstore"
)

// maxPasswordLine bounds what is read from stdin for a password: any line
// longer holds more than maxPasswordLen characters, even of 4 bytes each.
const maxPasswordLine = 4*catalog.MaxPasswordLen + 2 // and "\r\n"

// The environment variables of the first-start admin. They are never flags:
// a password on the command line shows in ps and in shell histories.
const (
	envAdminEmail        = "MOVIEDB_ADMIN_EMAIL"
	envAdminPassword     = "MOVIEDB_ADMIN_PASSWORD"
	envAdminUsername     = "MOVIEDB_ADMIN_USERNAME"
	defaultAdminUsername = "admin"
)

// An account is a user to create, as given on the command line or in the
// environment, with its password in clear.
type account struct {
	username, email, firstName, lastName string
	password                             string
	admin                                bool
}

// String describes a without its password, should a ever be printed.
func (a account) String() string {
	return fmt.Sprintf("account %q <%s> (admin %t, password hidden)", a.username, a.email, a.admin)
}

// check applies the catalog's account rules to the fields of a besides the
// password. The error names the field as names maps it ("username" to
// "--username").
func (a *account) check(names map[string]string) error {
	u := catalog.User{Username: a.username, Email: a.email, FirstName: a.firstName, LastName: a.lastName}
	values := map[string]string{"username": a.username, "email": a.email, "first_name": a.firstName, "last_name": a.lastName}
	return fieldUsageError(u.Validate(), names, values)
}

// checkPassword applies the catalog's password rule; its error never quotes pw.
func checkPassword(pw string) error {
	return fieldUsageError(catalog.ValidatePassword("password", pw), map[string]string{"password": "password"}, nil)
}

// fieldUsageError turns a *catalog.ValidationError into a one-line usage
// error naming the first bad field (in the order of catalog's fields) as
// names maps it, quoting its value from values if it has one there (never
// give it a password).
func fieldUsageError(err error, names, values map[string]string) error {
	var v *catalog.ValidationError
	if !errors.As(err, &v) {
		return err
	}
	for _, field := range []string{"username", "email", "first_name", "last_name", "password"} {
		if msg, ok := v.Fields[field]; ok {
			name := names[field]
			if name == "" {
				name = field
			}
			if value, ok := values[field]; ok {
				name += fmt.Sprintf(" %q", value)
			}
			return usageErrorf("%s: invalid %s: %s", name, strings.ReplaceAll(field, "_", " "), msg)
		}
	}
	return usageError{err}
}

// createAccount hashes a's password and stores a as a new user. A clash is
// a *catalog.ConflictError naming the field, as from the store.
func createAccount(ctx context.Context, store *sqlstore.Store, a account) (*catalog.User, error) {
	hash, err := auth.HashPassword(a.password, auth.DefaultParams)
	if err != nil {
		return nil, err
	}
	u := &catalog.User{Username: a.username, Email: a.email, FirstName: a.firstName, LastName: a.lastName,
		PasswordHash: hash, Role: catalog.UserRole}
	if a.admin {
		u.Role = catalog.AdminRole
	}
	if err := store.CreateUser(ctx, u); err != nil {
		return nil, err
	}
	return u, nil
}

// users runs `moviedb users create`, `users set-role` and
// `users set-password`.
func (e *env) users(ctx context.Context, args []string) error {
	return e.dispatch(ctx, "users", args,
		subcommand{"create", usersCreateCommand, e.usersCreate},
		subcommand{"set-role", usersSetRoleCommand, e.usersSetRole},
		subcommand{"set-password", usersSetPasswordCommand, e.usersSetPassword})
}

// usersCreate creates an account whose password it reads from stdin,
// migrating the database first so that it works on a fresh one.
func (e *env) usersCreate(ctx context.Context, args []string) error {
	cfg, fs, err := e.parseCommand(usersCreateCommand, args)
	if err != nil {
		return err
	}
	a := account{
		username:  flagString(fs, flagUsername),
		email:     flagString(fs, flagEmail),
		firstName: flagString(fs, flagFirstName),
		lastName:  flagString(fs, flagLastName),
		admin:     flagString(fs, flagAdmin) == "true",
	}
	for _, f := range []argFlag{flagUsername, flagEmail} {
		if flagString(fs, f) == "" {
			return usageErrorf("users create: --%s is required (see moviedb users create --help)", f.name)
		}
	}
	// Checked before the password is asked for, which is wasted on a
	// command bound to fail.
	err = a.check(map[string]string{"username": "--username", "email": "--email",
		"first_name": "--first-name", "last_name": "--last-name"})
	if err != nil {
		return fmt.Errorf("users create: %w", err)
	}
	if a.password, err = e.readPassword(ctx, a.username); err != nil {
		return fmt.Errorf("users create: %w", err)
	}
	if err := checkPassword(a.password); err != nil {
		return fmt.Errorf("users create: %w", err)
	}

	store, err := openStore(ctx, cfg.DB)
	if err != nil {
		return err
	}
	defer store.Close()
	applied, err := store.Migrate(ctx)
	if err != nil {
		return fmt.Errorf("users create: %w", err)
	}
	for _, m := range applied {
		fmt.Fprintf(e.stdout, "applied %04d_%s\n", m.Version, m.Name)
	}
	u, err := createAccount(ctx, store, a)
	var conflict *catalog.ConflictError
	switch {
	case errors.As(err, &conflict) && conflict.Field == "username":
		return fmt.Errorf("users create: --username %q: %w", a.username, conflict)
	case errors.As(err, &conflict) && conflict.Field == "email":
		return fmt.Errorf("users create: --email %q: %w", a.email, conflict)
	case errors.Is(err, catalog.ErrInvalid):
		return usageError{fmt.Errorf("users create: %w", err)}
	case err != nil:
		return fmt.Errorf("users create: %w", err)
	}
	fmt.Fprintf(e.stdout, "created %s %s (id %d)\n", u.Role, u.Username, u.ID)
	return nil
}

// usersSetRole changes the role of an account and prints the change.
func (e *env) usersSetRole(ctx context.Context, args []string) error {
	cfg, fs, err := e.parseCommand(usersSetRoleCommand, args)
	if err != nil {
		return err
	}
	for _, f := range []argFlag{flagUsername, flagRole} {
		if flagString(fs, f) == "" {
			return usageErrorf("users set-role: --%s is required (see moviedb users set-role --help)", f.name)
		}
	}
	username, role := flagString(fs, flagUsername), strings.ToLower(flagString(fs, flagRole))
	if !slices.Contains(catalog.AccessRoles, role) {
		return usageErrorf("users set-role: --role: invalid role %q: want admin or user", flagString(fs, flagRole))
	}

	store, err := openStore(ctx, cfg.DB)
	if err != nil {
		return err
	}
	defer store.Close()
	// A role change is no reason to change the schema: an outdated one is
	// reported, and left to `migrate up` or serve.
	if err := store.CheckSchema(ctx); err != nil {
		return fmt.Errorf("users set-role: %w", err)
	}
	u, err := store.UserByUsername(ctx, username)
	if err != nil {
		return setRoleError(username, err)
	}
	if u.Role == role {
		fmt.Fprintf(e.stdout, "%s already has role %s\n", u.Username, u.Role)
		return nil
	}
	changed, err := store.UpdateUser(ctx, u.ID, catalog.UserUpdate{Role: &role})
	if err != nil {
		return setRoleError(username, err)
	}
	fmt.Fprintf(e.stdout, "changed role of %s from %s to %s\n", changed.Username, u.Role, changed.Role)
	return nil
}

// usersSetPassword gives the account USERNAME the password it reads from
// stdin, and revokes the account's tokens.
func (e *env) usersSetPassword(ctx context.Context, args []string) error {
	c := usersSetPasswordCommand
	if passwordFlagGiven(args) {
		return noPasswordFlagError(c)
	}
	cfg, _, positional, err := e.parseWithArgs(c, args)
	if err != nil {
		return err
	}
	switch {
	case len(positional) == 0:
		return usageErrorf("users set-password: want the USERNAME of the account (see moviedb users set-password --help)")
	case len(positional) > 1:
		return passwordArgumentError(c)
	}
	username := positional[0]

	store, err := openStore(ctx, cfg.DB)
	if err != nil {
		return err
	}
	defer store.Close()
	// As for set-role: a password is no reason to change the schema.
	if err := store.CheckSchema(ctx); err != nil {
		return fmt.Errorf("users set-password: %w", err)
	}
	// Looked up before the password is asked for, which is wasted on an
	// unknown account.
	u, err := store.UserByUsername(ctx, username)
	if errors.Is(err, catalog.ErrNotFound) {
		return fmt.Errorf("users set-password: user %q: %w", username, catalog.ErrNotFound)
	} else if err != nil {
		return fmt.Errorf("users set-password: %w", err)
	}
	password, err := e.readPassword(ctx, u.Username)
	if err != nil {
		return fmt.Errorf("users set-password: %w", err)
	}
	if err := checkPassword(password); err != nil {
		return fmt.Errorf("users set-password: %w", err)
	}
	hash, err := auth.HashPassword(password, auth.DefaultParams)
	if err != nil {
		return fmt.Errorf("users set-password: %w", err)
	}
	revoked, err := store.SetUserPassword(ctx, u.ID, hash)
	if err != nil {
		return fmt.Errorf("users set-password: %w", err)
	}
	fmt.Fprintf(e.stdout, "set the password of %s; revoked %d login tokens and sessions\n", u.Username, revoked)
	return nil
}

// setRoleError returns the error of `users set-role` on username for err
// from the store.
func setRoleError(username string, err error) error {
	if errors.Is(err, catalog.ErrNotFound) {
		return fmt.Errorf("users set-role: user %q: %w", username, catalog.ErrNotFound)
	}
	return fmt.Errorf("users set-role: %w", err)
}

// flagString returns the value of f in fs, after parsing; "true" or
// "false" for a boolean flag.
func flagString(fs *flag.FlagSet, f argFlag) string {
	return fs.Lookup(f.name).Value.String()
}

// readPassword reads the password of a new account for username from
// stdin: on a terminal it prompts on stderr and reads it twice, without
// echo; otherwise it reads the first line, without its line break.
func (e *env) readPassword(ctx context.Context, username string) (string, error) {
	if f, ok := e.stdin.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		fd := int(f.Fd())
		state, err := term.GetState(fd)
		if err != nil {
			return "", fmt.Errorf("read password: %w", err)
		}
		return promptPassword(e.stderr, username, func() ([]byte, error) {
			pw, err := interruptible(ctx, func() ([]byte, error) { return term.ReadPassword(fd) })
			if err != nil && ctx.Err() != nil {
				// The abandoned read would leave the terminal without echo.
				term.Restore(fd, state)
			}
			return pw, err
		})
	}
	if e.stdin == nil {
		return "", usageErrorf("no password on stdin: pipe it in, or run on a terminal to be asked for it")
	}
	line, err := interruptible(ctx, func() (string, error) {
		return bufio.NewReader(io.LimitReader(e.stdin, maxPasswordLine)).ReadString('\n')
	})
	if err != nil && !errors.Is(err, io.EOF) {
		return "", fmt.Errorf("read password from stdin: %w", err)
	}
	if line == "" {
		return "", usageErrorf("no password on stdin: pipe it in, or run on a terminal to be asked for it")
	}
	return strings.TrimSuffix(strings.TrimSuffix(line, "\n"), "\r"), nil
}

// promptPassword asks for the password of username on w, twice, reading
// each answer with read, and returns it when both answers match.
func promptPassword(w io.Writer, username string, read func() ([]byte, error)) (string, error) {
	fmt.Fprintf(w, "Password for %s: ", username)
	pw, err := read()
	fmt.Fprintln(w) // the user's Enter was not echoed
	if err != nil {
		return "", fmt.Errorf("read password: %w", err)
	}
	fmt.Fprintf(w, "Repeat the password: ")
	again, err := read()
	fmt.Fprintln(w)
	if err != nil {
		return "", fmt.Errorf("read password: %w", err)
	}
	if !bytes.Equal(pw, again) {
		return "", usageErrorf("the passwords do not match")
	}
	return string(pw), nil
}

// interruptible returns what read returns, or ctx's error as soon as ctx is
// done: a read from stdin does not end on SIGINT by itself. An abandoned
// read goes on in the background until the process ends.
func interruptible[T any](ctx context.Context, read func() (T, error)) (T, error) {
	type result struct {
		v   T
		err error
	}
	done := make(chan result, 1)
	go func() {
		v, err := read()
		done <- result{v, err}
	}()
	select {
	case r := <-done:
		return r.v, r.err
	case <-ctx.Done():
		var zero T
		return zero, fmt.Errorf("interrupted: %w", ctx.Err())
	}
}

// adminFromEnv returns the first-start admin that MOVIEDB_ADMIN_EMAIL,
// MOVIEDB_ADMIN_PASSWORD and MOVIEDB_ADMIN_USERNAME describe, checked with
// the rules of `users create`, or nil when neither of the first two is set.
func adminFromEnv(getenv func(string) string) (*account, error) {
	email, password := getenv(envAdminEmail), getenv(envAdminPassword)
	switch {
	case email == "" && password == "":
		return nil, nil
	case email == "":
		return nil, usageErrorf("%s is set without %s: set both to create the first admin, or neither", envAdminPassword, envAdminEmail)
	case password == "":
		return nil, usageErrorf("%s is set without %s: set both to create the first admin, or neither", envAdminEmail, envAdminPassword)
	}
	a := &account{username: getenv(envAdminUsername), email: email, password: password, admin: true}
	if a.username == "" {
		a.username = defaultAdminUsername
	}
	if err := a.check(map[string]string{"username": envAdminUsername, "email": envAdminEmail}); err != nil {
		return nil, err
	}
	if err := fieldUsageError(catalog.ValidatePassword("password", password), map[string]string{"password": envAdminPassword}, nil); err != nil {
		return nil, err
	}
	return a, nil
}

// bootstrapAdmin creates admin, from adminFromEnv, unless admin is nil or
// the database has an admin already.
func bootstrapAdmin(ctx context.Context, log *slog.Logger, store *sqlstore.Store, admin *account) error {
	if admin == nil {
		return nil
	}
	exists, err := store.AdminExists(ctx)
	if err != nil {
		return err
	}
	if exists {
		log.Debug("an admin exists: " + envAdminEmail + " and " + envAdminPassword + " are not used")
		return nil
	}
	u, err := createAccount(ctx, store, *admin)
	var conflict *catalog.ConflictError
	if errors.As(err, &conflict) {
		// Another instance starting at the same moment may have won.
		if exists, aerr := store.AdminExists(ctx); aerr == nil && exists {
			log.Debug("an admin exists: " + envAdminEmail + " and " + envAdminPassword + " are not used")
			return nil
		}
		if conflict.Field == "email" {
			return fmt.Errorf("create the first admin: %s %q: %w", envAdminEmail, admin.email, conflict)
		}
		return fmt.Errorf("create the first admin: %s %q: %w", envAdminUsername, admin.username, conflict)
	}
	if err != nil {
		return fmt.Errorf("create the first admin: %w", err)
	}
	log.Info("created admin from "+envAdminEmail, "username", u.Username, "id", u.ID)
	return nil
}
