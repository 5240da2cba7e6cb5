// Package cli holds the qoldau commands. Each command parses its flags, calls the
// shared packages and prints; exit status 0 is success, 1 a result with errors (a
// register with rejected rows), 2 bad usage or a file that cannot be used.
package cli

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"sort"

	"github.com/qoldau/qoldau/shared/qoldau"
)

// env is what a command sees of the world.
type env struct {
	stdin  io.Reader
	stdout io.Writer
	stderr io.Writer
}

type command struct {
	summary string
	run     func(e *env, args []string) int
}

var commands map[string]command

func init() {
	commands = map[string]command{
		"validate": {"validate a register (Annex 1) and report its findings", cmdValidate},
		"sample":   {"write a realistic synthetic register", cmdSample},
		"refdata":  {"export or import reference data (export --out DIR | import FILE...)", cmdRefdata},
	}
}

// Run runs the command line args and returns the exit status.
func Run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	e := &env{stdin: stdin, stdout: stdout, stderr: stderr}
	if len(args) == 0 || args[0] == "help" || args[0] == "-h" || args[0] == "--help" {
		usage(stdout)
		if len(args) == 0 {
			return 2
		}
		return 0
	}
	c, ok := commands[args[0]]
	if !ok {
		fmt.Fprintf(stderr, "qoldau: unknown command %q (see qoldau help)\n", args[0])
		return 2
	}
	return c.run(e, args[1:])
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "usage: qoldau COMMAND [flags]")
	fmt.Fprintln(w, "commands:")
	names := make([]string, 0, len(commands))
	width := 0
	for n := range commands {
		names = append(names, n)
		width = max(width, len(n))
	}
	sort.Strings(names)
	for _, n := range names {
		fmt.Fprintf(w, "  %-*s  %s\n", width, n, commands[n].summary)
	}
	fmt.Fprintln(w, "run qoldau COMMAND -h for a command's flags")
}

// parse parses flags that may come before or after the positional arguments.
func parse(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		rest := fs.Args()
		if len(rest) == 0 {
			return pos, nil
		}
		pos = append(pos, rest[0])
		args = rest[1:]
	}
}

// newFlags returns a flag set that reports errors to stderr without exiting.
func newFlags(e *env, name string) *flag.FlagSet {
	fs := flag.NewFlagSet("qoldau "+name, flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	return fs
}

// fail prints a one-line reason and returns status 2.
func fail(e *env, format string, args ...any) int {
	fmt.Fprintf(e.stderr, "qoldau: "+format+"\n", args...)
	return 2
}

// failErr prints err's user message and returns status 2.
func failErr(e *env, err error) int {
	var qe *qoldau.Error
	if errors.As(err, &qe) {
		return fail(e, "%s", qe.Message.EN)
	}
	return fail(e, "%v", err)
}
