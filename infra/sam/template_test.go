// Package sam holds the checks of the SAM template (template.yaml at the repository
// root) and the script that runs aws-sam-translator's transform offline.
package sam

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/awslabs/goformation/v7"
	"github.com/awslabs/goformation/v7/cloudformation"
	"github.com/awslabs/goformation/v7/cloudformation/global"
	"github.com/awslabs/goformation/v7/cloudformation/serverless"
	"github.com/awslabs/goformation/v7/intrinsics"
	"github.com/google/go-cmp/cmp"

	"github.com/qoldau/qoldau/shared/app"
)

const root = "../.."

// starResourceActions may have Resource "*": actions that support no resource-level
// permission. Keep it short; every entry needs a reason.
var starResourceActions = []string{
	"xray:PutTraceSegments",    // X-Ray has no resource ARNs
	"xray:PutTelemetryRecords", // X-Ray has no resource ARNs
	"cloudwatch:PutMetricData", // CloudWatch metrics have no resource ARNs
}

// parse reads the template with Ref, GetAtt and Sub kept as readable strings
// ("ref:Table", "getatt:Table.Arn", the Sub text), so checks can see what each
// value refers to.
func parse(t *testing.T) *cloudformation.Template {
	t.Helper()
	str := func(prefix string) intrinsics.IntrinsicHandler {
		return func(name string, input any, template any) any {
			switch v := input.(type) {
			case string:
				return prefix + v
			case []any:
				parts := make([]string, len(v))
				for i, p := range v {
					parts[i] = fmt.Sprint(p)
				}
				return prefix + strings.Join(parts, ".")
			}
			b, _ := json.Marshal(input)
			return prefix + string(b)
		}
	}
	tmpl, err := goformation.OpenWithOptions(filepath.Join(root, "template.yaml"), &intrinsics.ProcessorOptions{
		IntrinsicHandlerOverrides: map[string]intrinsics.IntrinsicHandler{
			"Ref": str("ref:"), "Fn::GetAtt": str("getatt:"), "Fn::Sub": str(""),
		},
	})
	if err != nil {
		t.Fatalf("goformation cannot parse template.yaml: %v", err)
	}
	return tmpl
}

// globals returns the Globals.Function section.
func globals(t *testing.T, tmpl *cloudformation.Template) *global.Function {
	t.Helper()
	g, ok := tmpl.Globals["Function"].(*global.Function)
	if !ok {
		t.Fatalf("Globals.Function is %T, want a serverless function", tmpl.Globals["Function"])
	}
	return g
}

// functionName is the function folder a template function builds from:
// CodeUri build/lambda/<name>/.
func functionName(t *testing.T, id string, f *serverless.Function) string {
	t.Helper()
	if f.CodeUri == nil || f.CodeUri.String == nil {
		t.Fatalf("%s: CodeUri is not a path", id)
	}
	uri := strings.TrimSuffix(*f.CodeUri.String, "/")
	name, ok := strings.CutPrefix(uri, "build/lambda/")
	if !ok || strings.Contains(name, "/") {
		t.Fatalf("%s: CodeUri %q is not build/lambda/<name>/ (make lambdas writes there)", id, uri)
	}
	return name
}

func TestFunctions(t *testing.T) {
	tmpl := parse(t)
	g := globals(t, tmpl)
	fns := tmpl.GetAllServerlessFunctionResources()
	var names []string
	for id, f := range fns {
		name := functionName(t, id, f)
		names = append(names, name)
		t.Run(name, func(t *testing.T) {
			if _, err := os.Stat(filepath.Join(root, "functions", name, "main.go")); err != nil {
				t.Errorf("%s: no functions/%s/main.go", id, name)
			}
			pick := func(own, global *string) string {
				if own != nil {
					return *own
				}
				if global != nil {
					return *global
				}
				return ""
			}
			arch := f.Architectures
			if arch == nil && g.Architectures != nil {
				arch = *g.Architectures
			}
			got := []string{pick(f.Runtime, g.Runtime), pick(f.Handler, g.Handler), strings.Join(arch, ",")}
			want := []string{"provided.al2023", "bootstrap", "arm64"}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("%s runtime, handler, architectures (-want +got):\n%s", id, diff)
			}
			env := map[string]string{}
			for _, e := range []*serverless.Function_FunctionEnvironment{g.Environment, f.Environment} {
				if e != nil {
					for k, v := range e.Variables {
						env[k] = v
					}
				}
			}
			for _, v := range app.Required(name) {
				if _, ok := env[v]; !ok {
					t.Errorf("%s reads %s, which the template does not set", id, v)
				}
			}
			for k, v := range env {
				if strings.Contains(strings.ToLower(k), "token") && !strings.HasSuffix(k, "_PARAM") || strings.HasPrefix(v, "{{resolve:") {
					t.Errorf("%s: %s=%q puts a secret in the environment; name an SSM parameter instead", id, k, v)
				}
			}
		})
	}
	sort.Strings(names)
	if diff := cmp.Diff(app.Functions, names, cmp.Transformer("sort", func(s []string) []string {
		s = slices.Clone(s)
		sort.Strings(s)
		return s
	})); diff != "" {
		t.Errorf("template functions vs app.Functions (-want +got):\n%s", diff)
	}
	dirs, err := os.ReadDir(filepath.Join(root, "functions"))
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range dirs {
		if d.IsDir() && !slices.Contains(names, d.Name()) {
			t.Errorf("functions/%s has no function in template.yaml", d.Name())
		}
	}
}

// statements returns the policy statements of a function's Policies.
func statements(t *testing.T, id string, f *serverless.Function) []map[string]any {
	t.Helper()
	if f.Policies == nil {
		return nil
	}
	b, err := json.Marshal(f.Policies)
	if err != nil {
		t.Fatal(err)
	}
	var docs []struct {
		Statement []map[string]any
	}
	if err := json.Unmarshal(b, &docs); err != nil {
		t.Fatalf("%s: Policies must be a list of inline policy documents: %v (%s)", id, err, b)
	}
	var out []map[string]any
	for _, d := range docs {
		out = append(out, d.Statement...)
	}
	return out
}

func list(v any) []string {
	switch x := v.(type) {
	case string:
		return []string{x}
	case []any:
		out := make([]string, len(x))
		for i, e := range x {
			out[i] = fmt.Sprint(e)
		}
		return out
	}
	return nil
}

func TestLeastPrivilege(t *testing.T) {
	tmpl := parse(t)
	for id, f := range tmpl.GetAllServerlessFunctionResources() {
		sts := statements(t, id, f)
		if len(sts) == 0 {
			t.Errorf("%s: no policy statements", id)
		}
		for _, st := range sts {
			if st["Effect"] != "Allow" {
				continue
			}
			actions, resources := list(st["Action"]), list(st["Resource"])
			if len(actions) == 0 || len(resources) == 0 {
				t.Errorf("%s: statement %v names no action or no resource", id, st["Sid"])
			}
			for _, a := range actions {
				if strings.Contains(a, "*") {
					t.Errorf("%s: statement %v grants the wildcard action %q", id, st["Sid"], a)
				}
			}
			if slices.Contains(resources, "*") {
				for _, a := range actions {
					if !slices.Contains(starResourceActions, a) {
						t.Errorf("%s: statement %v grants %s on resource \"*\"; it supports resource-level permissions", id, st["Sid"], a)
					}
				}
			}
		}
	}
}

func TestTableAndBucket(t *testing.T) {
	tmpl := parse(t)
	table, err := tmpl.GetDynamoDBTableWithName("Table")
	if err != nil {
		t.Fatal(err)
	}
	b := func(p *bool) bool { return p != nil && *p }
	s := func(p *string) string {
		if p == nil {
			return ""
		}
		return *p
	}
	gotTable := map[string]any{
		"billing":  s(table.BillingMode),
		"pitr":     table.PointInTimeRecoverySpecification != nil && b(table.PointInTimeRecoverySpecification.PointInTimeRecoveryEnabled),
		"sse":      table.SSESpecification != nil && table.SSESpecification.SSEEnabled,
		"ttl":      table.TimeToLiveSpecification != nil && table.TimeToLiveSpecification.Enabled && s(table.TimeToLiveSpecification.AttributeName) == "ttl",
		"deletion": b(table.DeletionProtectionEnabled),
	}
	wantTable := map[string]any{"billing": "PAY_PER_REQUEST", "pitr": true, "sse": true, "ttl": true, "deletion": true}
	if diff := cmp.Diff(wantTable, gotTable); diff != "" {
		t.Errorf("table (-want +got):\n%s", diff)
	}

	bucket, err := tmpl.GetS3BucketWithName("Bucket")
	if err != nil {
		t.Fatal(err)
	}
	pab := bucket.PublicAccessBlockConfiguration
	gotBucket := map[string]any{
		"public access blocked": pab != nil && b(pab.BlockPublicAcls) && b(pab.BlockPublicPolicy) && b(pab.IgnorePublicAcls) && b(pab.RestrictPublicBuckets),
		"versioning":            bucket.VersioningConfiguration != nil && bucket.VersioningConfiguration.Status == "Enabled",
		"encryption":            bucket.BucketEncryption != nil && len(bucket.BucketEncryption.ServerSideEncryptionConfiguration) > 0,
		"lifecycle":             bucket.LifecycleConfiguration != nil && len(bucket.LifecycleConfiguration.Rules) > 0,
	}
	wantBucket := map[string]any{"public access blocked": true, "versioning": true, "encryption": true, "lifecycle": true}
	if diff := cmp.Diff(wantBucket, gotBucket); diff != "" {
		t.Errorf("bucket (-want +got):\n%s", diff)
	}
	pol, err := tmpl.GetS3BucketPolicyWithName("BucketPolicy")
	if err != nil {
		t.Fatal(err)
	}
	doc, _ := json.Marshal(pol.PolicyDocument)
	if !strings.Contains(string(doc), `"aws:SecureTransport":"false"`) || !strings.Contains(string(doc), `"Effect":"Deny"`) {
		t.Errorf("the bucket policy does not deny requests without TLS: %s", doc)
	}
}
