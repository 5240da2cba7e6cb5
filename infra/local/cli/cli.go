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
	lang   string // of the human output: kk, ru or en
}

type command struct {
	summary string // the catalogue key of the command's one-line summary
	run     func(e *env, args []string) int
}

var commands map[string]command

func init() {
	commands = map[string]command{
		"validate": {"cmd.validate", cmdValidate},
		"sample":   {"cmd.sample", cmdSample},
		"refdata":  {"cmd.refdata", cmdRefdata},
	}
}

// Run runs the command line args and returns the exit status.
func Run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	e := &env{stdin: stdin, stdout: stdout, stderr: stderr, lang: langOf(args)}
	if len(args) == 0 || args[0] == "help" || args[0] == "-h" || args[0] == "--help" {
		usage(e)
		if len(args) == 0 {
			return 2
		}
		return 0
	}
	c, ok := commands[args[0]]
	if !ok {
		return fail(e, "unknown_command", args[0])
	}
	return c.run(e, args[1:])
}

func usage(e *env) {
	w := e.stdout
	fmt.Fprintln(w, e.t("usage", "qoldau COMMAND [flags]"))
	fmt.Fprintln(w, e.t("help.commands"))
	names := make([]string, 0, len(commands))
	width := 0
	for n := range commands {
		names = append(names, n)
		width = max(width, len(n))
	}
	sort.Strings(names)
	for _, n := range names {
		fmt.Fprintf(w, "  %-*s  %s\n", width, n, e.t(commands[n].summary))
	}
	fmt.Fprintln(w, e.t("help.flags"))
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

// fail prints the one-line reason of the catalogue's key in the command's
// language and returns status 2.
func fail(e *env, key string, args ...any) int {
	fmt.Fprintln(e.stderr, "qoldau: "+e.t(key, args...))
	return 2
}

// failErr prints err's user message in the command's language and returns status 2.
func failErr(e *env, err error) int {
	var qe *qoldau.Error
	if errors.As(err, &qe) {
		fmt.Fprintln(e.stderr, "qoldau: "+qe.Message.In(e.lang))
		return 2
	}
	return fail(e, "error", err)
}

// usageFail prints the usage of a command (its syntax, the same in every
// language) as the reason and returns status 2.
func usageFail(e *env, syntax string) int { return fail(e, "usage", syntax) }
