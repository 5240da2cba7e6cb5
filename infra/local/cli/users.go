package cli

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/qoldau/qoldau/shared/app"
	"github.com/qoldau/qoldau/shared/qoldau"
)

func init() {
	commands["users"] = command{"cmd.users", cmdUsers}
}

const usersUsage = "qoldau users add --name NAME --role operator|agency|admin [--email E] [--password-stdin]\n" +
	"       qoldau users password --name NAME --password-stdin\n" +
	"       qoldau users list"

func cmdUsers(e *env, args []string) int {
	if len(args) == 0 || args[0] != "add" && args[0] != "list" && args[0] != "password" {
		return usageFail(e, usersUsage)
	}
	fs := newFlags(e, "users "+args[0])
	name := fs.String("name", "", "the user's name (unique; what the user signs in with)")
	role := fs.String("role", "", "operator, agency or admin")
	email := fs.String("email", "", "e-mail address for reminders (optional)")
	pwStdin := fs.Bool("password-stdin", false, "read the console password from the first line of standard input")
	sf, asJSON := storeFlags(fs)
	if _, err := parse(fs, args[1:]); err != nil {
		return 2
	}
	var pw string
	if *pwStdin || args[0] == "password" {
		if !*pwStdin {
			return fail(e, "users.password_stdin")
		}
		var err error
		if pw, err = readPassword(e.stdin); err != nil {
			return fail(e, "users.no_password")
		}
		// Checked before anything is stored: a weak password adds no user.
		if err := qoldau.CheckPassword(pw); err != nil {
			return failErr(e, err)
		}
	}
	return withApp(e, sf, func(ctx context.Context, a *app.App) int {
		switch args[0] {
		case "list":
			return listUsers(ctx, e, a, *asJSON)
		case "password":
			if err := setPassword(ctx, a, *name, pw); err != nil {
				return failErr(e, err)
			}
			e.say("users.password_set", *name)
			return 0
		}
		return addUser(ctx, e, a, *name, qoldau.Role(*role), *email, pw, *asJSON)
	})
}

// readPassword reads the first line of r (without its line end).
func readPassword(r io.Reader) (string, error) {
	line, err := bufio.NewReader(io.LimitReader(r, 4096)).ReadString('\n')
	if err != nil && err != io.EOF {
		return "", err
	}
	line = strings.TrimRight(line, "\r\n")
	if line == "" {
		return "", io.ErrUnexpectedEOF
	}
	return line, nil
}

func listUsers(ctx context.Context, e *env, a *app.App, asJSON bool) int {
	us, err := a.Svc.Users(ctx)
	if err != nil {
		return failErr(e, err)
	}
	if asJSON {
		printJSON(e, map[string]any{"users": us})
		return 0
	}
	for _, u := range us {
		signIn := e.t("users.api_only")
		if u.PasswordHash != "" {
			signIn = e.t("users.console_and_api")
		}
		fmt.Fprintf(e.stdout, "%-30s %-14s %s  %s\n", u.Name, e.label("role.", string(u.Role)), e.when(u.Created), signIn)
	}
	return 0
}

// setPassword sets a user's console password (the audit log records it).
func setPassword(ctx context.Context, a *app.App, name, pw string) error {
	// The real time, not the workflow's clock: sessions are measured against it.
	return a.Svc.SetPassword(ctx, name, pw, time.Now(), a.Cfg.Actor)
}

func addUser(ctx context.Context, e *env, a *app.App, name string, role qoldau.Role, email, pw string, asJSON bool) int {
	u, key, err := a.Svc.AddUser(ctx, name, role, email, a.Cfg.Actor)
	if err != nil {
		return failErr(e, err)
	}
	if pw != "" {
		if err := setPassword(ctx, a, u.Name, pw); err != nil {
			return failErr(e, err)
		}
	}
	if asJSON {
		printJSON(e, map[string]any{"user": u, "key": key, "password": pw != ""})
		return 0
	}
	if pw != "" {
		e.say("users.added_password", u.Name, e.label("role.", string(u.Role)), key)
	} else {
		e.say("users.added", u.Name, e.label("role.", string(u.Role)), key)
	}
	return 0
}
