// Command qoldau is the one-process runner and command line of the monitoring
// system: validate registers, write samples, manage reference data, and (as the
// workflow lands) serve the API and bot on an embedded store.
package main

import (
	"os"

	"github.com/qoldau/qoldau/infra/local/cli"
	"github.com/qoldau/qoldau/shared/scratch"
)

func main() {
	code := cli.Run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
	scratch.Close()
	os.Exit(code)
}
