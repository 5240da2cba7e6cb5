package cli

import (
	"context"
	"fmt"

	"github.com/qoldau/qoldau/shared/app"
	"github.com/qoldau/qoldau/shared/qoldau"
)

func init() {
	commands["users"] = command{"cmd.users", cmdUsers}
}

func cmdUsers(e *env, args []string) int {
	if len(args) == 0 || args[0] != "add" && args[0] != "list" {
		return usageFail(e, "qoldau users add --name NAME --role operator|agency|admin [--email E] | qoldau users list")
	}
	fs := newFlags(e, "users "+args[0])
	name := fs.String("name", "", "the user's name (unique)")
	role := fs.String("role", "", "operator, agency or admin")
	email := fs.String("email", "", "e-mail address for reminders (optional)")
	sf, asJSON := storeFlags(fs)
	if _, err := parse(fs, args[1:]); err != nil {
		return 2
	}
	return withApp(e, sf, func(ctx context.Context, a *app.App) int {
		if args[0] == "list" {
			return listUsers(ctx, e, a, *asJSON)
		}
		return addUser(ctx, e, a, *name, qoldau.Role(*role), *email, *asJSON)
	})
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
		fmt.Fprintf(e.stdout, "%-30s %-14s %s\n", u.Name, e.label("role.", string(u.Role)), e.when(u.Created))
	}
	return 0
}

func addUser(ctx context.Context, e *env, a *app.App, name string, role qoldau.Role, email string, asJSON bool) int {
	u, key, err := a.Svc.AddUser(ctx, name, role, email, a.Cfg.Actor)
	if err != nil {
		return failErr(e, err)
	}
	if asJSON {
		printJSON(e, map[string]any{"user": u, "key": key})
		return 0
	}
	e.say("users.added", u.Name, e.label("role.", string(u.Role)), key)
	return 0
}
