package cli

import (
	"context"
	"fmt"
	"os"

	"github.com/qoldau/qoldau/shared/config"
	"github.com/qoldau/qoldau/shared/httpapi"
	"github.com/qoldau/qoldau/shared/qoldau"
)

func init() {
	commands["users"] = command{"staff API users: add --name N --role operator|agency|admin [--email E] | list", cmdUsers}
}

// openApp opens the App of the environment (config.Vars), with --data overriding
// QOLDAU_DATA.
func openApp(ctx context.Context, data string) (*config.App, error) {
	cfg, err := config.Load(os.Getenv)
	if err != nil {
		return nil, err
	}
	if data != "" {
		cfg.Data = data
	}
	return config.Open(ctx, cfg)
}

func cmdUsers(e *env, args []string) int {
	if len(args) == 0 || args[0] != "add" && args[0] != "list" {
		return fail(e, "usage: qoldau users add --name NAME --role operator|agency|admin [--email E] | qoldau users list")
	}
	fs := newFlags(e, "users "+args[0])
	name := fs.String("name", "", "the user's name (unique)")
	role := fs.String("role", "", "operator, agency or admin")
	email := fs.String("email", "", "e-mail address for reminders (optional)")
	data := fs.String("data", "", "data folder (default $QOLDAU_DATA or ./qoldau-data); QOLDAU_TABLE selects DynamoDB")
	asJSON := fs.Bool("json", false, "print the result as JSON")
	if _, err := parse(fs, args[1:]); err != nil {
		return 2
	}
	ctx := context.Background()
	app, err := openApp(ctx, *data)
	if err != nil {
		return failErr(e, err)
	}
	defer app.Close()
	if args[0] == "list" {
		us, err := app.Store.Users(ctx)
		if err != nil {
			return failErr(e, err)
		}
		if *asJSON {
			printJSON(e, map[string]any{"users": us})
			return 0
		}
		for _, u := range us {
			fmt.Fprintf(e.stdout, "%-30s %-8s %s\n", u.Name, u.Role, u.Created.In(almaty()).Format("2006-01-02 15:04"))
		}
		return 0
	}
	u, key, err := httpapi.AddUser(ctx, app.Store, *name, qoldau.Role(*role), *email, app.Clock())
	if err != nil {
		return failErr(e, err)
	}
	if err := app.Store.Append(ctx, qoldau.AuditEntry{Time: app.Clock().UTC(), Actor: actor(), Action: "add-user",
		Subject: "user " + u.ID(), Detail: map[string]string{"role": string(u.Role)}}); err != nil {
		return failErr(e, err)
	}
	if *asJSON {
		printJSON(e, map[string]any{"user": u, "key": key})
		return 0
	}
	fmt.Fprintf(e.stdout, "user %q (%s) added. API key, shown only now — keep it secret:\n%s\n", u.Name, u.Role, key)
	return 0
}
