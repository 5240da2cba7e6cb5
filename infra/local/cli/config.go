package cli

func init() {
	commands["config"] = command{"cmd.config", cmdConfig}
}

func cmdConfig(e *env, args []string) int {
	fs := newFlags(e, "config")
	sf, asJSON := storeFlags(fs)
	if _, err := parse(fs, args); err != nil {
		return 2
	}
	cfg, err := sf.load()
	if err != nil {
		return failErr(e, err)
	}
	if *asJSON {
		printJSON(e, map[string]any{"settings": cfg.Values()})
		return 0
	}
	if err := cfg.Print(e.stdout); err != nil {
		return fail(e, "error", err)
	}
	return 0
}
