// Command moviedb is a self-hosted movie catalog service. Run `moviedb help`
// for its commands and configuration.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"

	"github.com/moviedb/moviedb/cli"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	go func() {
		// After the first signal starts a graceful shutdown, a second one
		// gets the default behaviour: the process ends at once.
		<-ctx.Done()
		stop()
	}()
	code := cli.Run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}
