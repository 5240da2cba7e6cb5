package cli

import (
	"context"
	"fmt"

	"github.com/qoldau/qoldau/shared/app"
	"github.com/qoldau/qoldau/shared/qoldau"
)

func init() {
	commands["users"] = command{"staff API users: add --name N --role operator|agency|admin [--email E] | list", cmdUsers}
}

func cmdUsers(e *env, args []string) int {
	if len(args) == 0 || args[0] != "add" && args[0] != "list" {
		return fail(e, "usage: qoldau users add --name NAME --role operator|agency|admin [--email E] | qoldau users list")
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
		fmt.Fprintf(e.stdout, "%-30s %-8s %s\n", u.Name, u.Role, u.Created.In(almaty()).Format("2006-01-02 15:04"))
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
	fmt.Fprintf(e.stdout, "user %q (%s) added. API key, shown only now — keep it secret:\n%s\n", u.Name, u.Role, key)
	return 0
}
