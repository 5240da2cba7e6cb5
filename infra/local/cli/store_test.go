package cli

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/qoldau/qoldau/shared/civil"
	"github.com/qoldau/qoldau/shared/dynamo"
	"github.com/qoldau/qoldau/shared/qoldau"
	"github.com/qoldau/qoldau/shared/s3blob"
	"github.com/qoldau/qoldau/shared/secret"
	"github.com/qoldau/qoldau/shared/storetest"
)

// TestCommandsOnDynamo runs the workflow commands with QOLDAU_TABLE and
// QOLDAU_BUCKET set, as serve and the functions read them: the version, its rows,
// the original file and a staff code land in DynamoDB and S3 (moto_server), not in
// the data folder, and each command says on stderr which store it used.
func TestCommandsOnDynamo(t *testing.T) {
	ep := storetest.Endpoint(t)
	var b [5]byte
	rand.Read(b[:])
	name := "qoldau-cli-" + hex.EncodeToString(b[:])
	const key = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f"
	dir := t.TempDir()
	data := filepath.Join(dir, "data")
	for k, v := range map[string]string{"QOLDAU_DATA": data, "QOLDAU_TABLE": name, "QOLDAU_DYNAMO_ENDPOINT": ep,
		"QOLDAU_BUCKET": name, "QOLDAU_S3_ENDPOINT": ep, "QOLDAU_SECRET": key, "QOLDAU_NOW": "2026-10-01T12:00:00+05:00"} {
		t.Setenv(k, v)
	}
	reg := filepath.Join(dir, "r.xlsx")
	if code, _, errs := run(t, "sample", "--period", "2026-09", "--rows", "60", "--seed", "3", "--error-rate", "0.1", "--out", reg); code != 0 {
		t.Fatalf("sample: %d %s", code, errs)
	}
	code, out, errs := run(t, "upload", "--period", "2026-09", "--json", reg)
	if code != 1 || !strings.Contains(out, `"version":1`) {
		t.Fatalf("upload: %d %s %s", code, out, errs)
	}
	if want := "store: DynamoDB table " + name + " at " + ep + "; files: S3 bucket " + name; !strings.Contains(errs, want) {
		t.Errorf("upload's stderr does not say %q:\n%s", want, errs)
	}
	var res struct{ SHA256 string }
	json.Unmarshal([]byte(out), &res)

	ctx := context.Background()
	st, err := dynamo.Open(ctx, dynamo.Config{Table: name, Endpoint: ep})
	if err != nil {
		t.Fatal(err)
	}
	p := civil.MonthOf(2026, 9)
	vs, err := st.Versions(ctx, p)
	if err != nil || len(vs) != 1 || vs[0].RowCount != 60 || vs[0].SHA256 != res.SHA256 {
		t.Fatalf("versions in DynamoDB: %v %+v", err, vs)
	}
	blobs, err := s3blob.Open(ctx, s3blob.Config{Bucket: name, Endpoint: ep})
	if err != nil {
		t.Fatal(err)
	}
	if ok, err := blobs.Exists(ctx, "uploads/"+res.SHA256); err != nil || !ok {
		t.Errorf("the original is not in S3: %v %v", ok, err)
	}
	if _, err := os.Stat(filepath.Join(data, "qoldau.db")); !os.IsNotExist(err) {
		t.Errorf("the upload wrote an embedded store in the data folder (%v)", err)
	}

	// status reads it back from DynamoDB.
	if code, out, errs := run(t, "status", "--period", "2026-09"); code != 0 || !strings.Contains(out, "v1 received") {
		t.Errorf("status: %d %s %s", code, out, errs)
	}

	// bot staff-code writes the code to the configured deployment.
	code, out, errs = run(t, "bot", "staff-code", "--role", "agency")
	if code != 0 {
		t.Fatalf("staff-code: %d %s %s", code, out, errs)
	}
	m := regexp.MustCompile(`/start (staff_\S+)`).FindStringSubmatch(out)
	if m == nil {
		t.Fatalf("no code in %q", out)
	}
	k, err := secret.Parse(key)
	if err != nil {
		t.Fatal(err)
	}
	sc, err := st.UseStaffCode(ctx, k.TokenHash(m[1]), 42, vs[0].Received)
	if err != nil || sc.Role != qoldau.RoleAgency {
		t.Errorf("the staff code is not in DynamoDB: %v %+v", err, sc)
	}
}

// TestConfigCommand: `qoldau config` prints every setting with its effective
// value and where it came from, flags over the environment, secrets masked.
func TestConfigCommand(t *testing.T) {
	t.Setenv("QOLDAU_DATA", "/srv/qoldau")
	t.Setenv("QOLDAU_TABLE", "qoldau-prod")
	t.Setenv("QOLDAU_SECRET", "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff")
	t.Setenv("QOLDAU_TELEGRAM_TOKEN", "123456:very-secret-token")
	t.Setenv("QOLDAU_LANG", "")
	code, out, errs := run(t, "config", "--data", "/tmp/other")
	if code != 0 {
		t.Fatalf("config: %d %s", code, errs)
	}
	for _, secretValue := range []string{"00112233445566778899", "very-secret-token"} {
		if strings.Contains(out, secretValue) {
			t.Errorf("config shows a secret in clear:\n%s", out)
		}
	}
	lines := map[string][]string{}
	for _, l := range strings.Split(out, "\n") {
		if f := strings.Fields(l); len(f) >= 4 {
			lines[f[0]] = f[1:4]
		}
	}
	for name, want := range map[string][]string{
		"QOLDAU_DATA":           {"--data", "/tmp/other", "flag"},
		"QOLDAU_TABLE":          {"-", "qoldau-prod", "env"},
		"QOLDAU_SECRET":         {"-", "********", "env"},
		"QOLDAU_TELEGRAM_TOKEN": {"-", "********", "env"},
		"QOLDAU_LANG":           {"--lang", "en", "default"},
		"QOLDAU_ADDR":           {"--addr", "127.0.0.1:8080", "default"},
		"QOLDAU_CALL_CENTRE":    {"-", "(empty)", "default"},
	} {
		if got := lines[name]; strings.Join(got, " ") != strings.Join(want, " ") {
			t.Errorf("%s: %v, want %v", name, got, want)
		}
	}
	code, out, _ = run(t, "config", "--json")
	var js struct {
		Settings []struct{ Name, Value, Source string }
	}
	if err := json.Unmarshal([]byte(out), &js); code != 0 || err != nil || len(js.Settings) < 20 {
		t.Fatalf("config --json: %d %v %s", code, err, out)
	}
	for _, s := range js.Settings {
		if s.Name == "QOLDAU_SECRET" && s.Value != "********" {
			t.Errorf("config --json shows QOLDAU_SECRET as %q", s.Value)
		}
	}
}
