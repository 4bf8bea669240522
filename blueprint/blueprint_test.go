package blueprint_test

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"sigs.k8s.io/yaml"

	"github.com/hybridkit/hybridkit/blueprint"
	"github.com/hybridkit/hybridkit/containerdconf"
	"github.com/hybridkit/hybridkit/dnsplan"
	"github.com/hybridkit/hybridkit/internal/eksctl"
	"github.com/hybridkit/hybridkit/internal/testkit"
	ivalidation "github.com/hybridkit/hybridkit/internal/validation"
	"github.com/hybridkit/hybridkit/nodeconfig"
)

func render(t testing.TB, b blueprint.Blueprint) blueprint.Bundle {
	t.Helper()
	bundle, _, err := blueprint.Render(b)
	if err != nil {
		t.Fatal(err)
	}
	return bundle
}

// TestReferenceBundleGolden holds the reference bundle to testdata/reference
// (go test -update rewrites it): in full the files only the blueprint
// writes — README.md and plan.json — and every other file by its SHA-256
// in bundle.json. Those files come from the domain packages' renderers,
// whose goldens hold their bytes once; a change to one shows here as a
// changed hash naming the file.
func TestReferenceBundleGolden(t *testing.T) {
	b := render(t, blueprint.Reference())
	dir := filepath.Join("testdata", "reference")
	if testkit.Updating() {
		if err := os.RemoveAll(dir); err != nil {
			t.Fatal(err)
		}
	}
	want := map[string]bool{"bundle.json": true}
	for _, path := range []string{"README.md", "plan.json"} {
		f, ok := b.File(path)
		if !ok {
			t.Fatalf("the bundle has no %s", path)
		}
		testkit.Golden(t, filepath.Join("reference", path), f.Content)
		want[path] = true
	}
	idx, err := b.IndexJSON()
	if err != nil {
		t.Fatal(err)
	}
	testkit.Golden(t, filepath.Join("reference", "bundle.json"), idx)
	// No other golden file may be kept.
	err = filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(dir, path)
		if !want[filepath.ToSlash(rel)] {
			t.Errorf("testdata/reference/%s: the blueprint keeps only README.md, plan.json and bundle.json (run with -update)", rel)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// TestPlanJSONReadsBack: plan.json decodes into blueprint.Plan and says
// what the estimate says.
func TestPlanJSONReadsBack(t *testing.T) {
	b := render(t, blueprint.Reference())
	f, _ := b.File("plan.json")
	var p blueprint.Plan
	dec := json.NewDecoder(bytes.NewReader(f.Content))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&p); err != nil {
		t.Fatal(err)
	}
	if p.Cost.Total.String() != "$24,489.00" || p.Path.MTU != 8500 || len(p.Nodes) != 10 {
		t.Errorf("plan.json: total %s, MTU %d, %d nodes", p.Cost.Total, p.Path.MTU, len(p.Nodes))
	}
}

func TestRenderIsDeterministic(t *testing.T) {
	a, b := render(t, blueprint.Reference()), render(t, blueprint.Reference())
	if a.Len() != b.Len() {
		t.Fatal("different file counts")
	}
	for i := range a.Files() {
		if a.Files()[i].Path != b.Files()[i].Path || !bytes.Equal(a.Files()[i].Content, b.Files()[i].Content) {
			t.Errorf("%s differs between two renders", a.Files()[i].Path)
		}
	}
}

// TestBundleThroughRealConsumers runs every file of the reference bundle
// through the program that will read it, chosen by its kind.
func TestBundleThroughRealConsumers(t *testing.T) {
	b := render(t, blueprint.Reference())
	kinds := checkConsumers(t, b)
	for _, k := range []blueprint.Kind{blueprint.KindNodeConfig, blueprint.KindContainerdTOML, blueprint.KindK8sManifest, blueprint.KindBINDConf, blueprint.KindUnboundConf,
		blueprint.KindCorefile, blueprint.KindDnsmasqConf, blueprint.KindResolvedConf, blueprint.KindNFTables, blueprint.KindIPTables, blueprint.KindShell, blueprint.KindMarkdown, blueprint.KindJSON, blueprint.KindCSV} {
		if kinds[k] == 0 {
			t.Errorf("the reference bundle has no %s file", k)
		}
	}
}

// checkConsumers passes every file of the bundle to the program that reads
// it and returns how many files of each kind there are.
func checkConsumers(t *testing.T, b blueprint.Bundle) map[blueprint.Kind]int {
	t.Helper()
	bindOptions := []byte(nil)
	if f, ok := b.File("dns/named-options.conf"); ok {
		bindOptions = f.Content
	}
	kinds := map[blueprint.Kind]int{}
	for _, f := range b.Files() {
		kinds[f.Kind]++
		t.Run(f.Path, func(t *testing.T) {
			switch f.Kind {
			case blueprint.KindNodeConfig:
				c, err := nodeconfig.Parse(f.Content)
				if err != nil {
					t.Fatal(err)
				}
				if err := c.Validate(); err != nil {
					t.Fatal(err)
				}
				if ssm := c.Spec.Hybrid != nil && c.Spec.Hybrid.SSM != nil; ssm && (!f.Secret || !strings.Contains(string(f.Content), "activationCode:")) {
					t.Error("an SSM NodeConfig must be marked secret and carry the activation code")
				}
			case blueprint.KindContainerdTOML:
				cfg, err := containerdconf.Parse(f.Content)
				if err != nil {
					t.Fatal(err)
				}
				switch {
				case strings.HasSuffix(f.Path, "nodeadm-dropin.toml"):
					root := func(dir string) []byte {
						c := containerdconf.NodeadmRoot("602401143452.dkr.ecr.ap-northeast-2.amazonaws.com/eks/pause:3.8")
						c.Imports = []string{dir + "/*.toml"}
						out, err := containerdconf.Render(c)
						if err != nil {
							t.Fatal(err)
						}
						return out
					}
					dump := testkit.ContainerdDump(t, root, map[string][]byte{"00-nodeadm.toml": f.Content})
					if !bytes.Contains(dump, []byte("nvidia-container-runtime")) || !bytes.Contains(dump, []byte("SystemdCgroup = true")) {
						t.Errorf("containerd does not run with the NVIDIA runtime and SystemdCgroup:\n%s", dump)
					}
				case cfg.Version == 2:
					dump := testkit.ContainerdDump(t, func(string) []byte { return f.Content }, nil)
					if !bytes.Contains(dump, []byte("nvidia-container-runtime")) {
						t.Errorf("containerd config dump lost the NVIDIA runtime:\n%s", dump)
					}
				}
			case blueprint.KindK8sManifest:
				if objs := testkit.DecodeManifests(t, f.Content); len(objs) == 0 {
					t.Error("no objects")
				}
			case blueprint.KindHelmValues:
				var v map[string]any
				if err := yaml.UnmarshalStrict(f.Content, &v); err != nil || v["ipam"] == nil && v["installation"] == nil {
					t.Errorf("values: %v %v", err, v)
				}
			case blueprint.KindBINDConf:
				if strings.HasSuffix(f.Path, "named-options.conf") {
					return // checked inside the options block with the zones
				}
				testkit.CheckBIND(t, bindOptions, f.Content)
			case blueprint.KindUnboundConf:
				testkit.CheckUnbound(t, f.Content)
			case blueprint.KindDnsmasqConf:
				testkit.CheckDnsmasq(t, f.Content)
			case blueprint.KindCorefile:
				cf, err := dnsplan.ParseCorefile(f.Content)
				if err != nil {
					t.Fatal(err)
				}
				if fs := cf.Check(); len(fs) > 0 {
					t.Errorf("Corefile: %v", fs)
				}
			case blueprint.KindResolvedConf:
				checkUnitFile(t, f.Content, "Resolve", "DNS", "Domains")
			case blueprint.KindNFTables:
				testkit.CheckNFT(t, f.Content)
			case blueprint.KindIPTables:
				testkit.CheckIPTables(t, f.Content)
			case blueprint.KindShell:
				testkit.CheckBash(t, f.Content)
			case blueprint.KindJSON:
				if !json.Valid(f.Content) {
					t.Error("invalid JSON")
				}
			case blueprint.KindMarkdown:
				if bytes.Count(f.Content, []byte("```"))%2 != 0 {
					t.Error("unbalanced code fences")
				}
			case blueprint.KindCSV:
				// encoding/csv reads RFC 4180, as spreadsheets do: every
				// record has the header's fields.
				if rows, err := csv.NewReader(bytes.NewReader(f.Content)).ReadAll(); err != nil || len(rows) < 2 {
					t.Errorf("CSV: %d records, %v", len(rows), err)
				}
			case blueprint.KindEksctlConfig:
				// eksctl's own types and validation read it in the lab
				// (lab/eksctl_test.go); here: its fields, strictly, and
				// eksctl's remoteNetworkConfig rules.
				var c eksctl.Config
				if err := yaml.UnmarshalStrict(f.Content, &c); err != nil {
					t.Fatalf("eksctl ClusterConfig: %v", err)
				}
				if errs := c.ValidateRemoteNetworks(); c.RemoteNetworkConfig == nil || len(errs) > 0 {
					t.Errorf("remoteNetworkConfig %+v: %v", c.RemoteNetworkConfig, errs)
				}
			default:
				t.Errorf("no consumer for kind %q", f.Kind)
			}
		})
	}
	return kinds
}

// checkUnitFile checks a systemd configuration file's shape: one section
// header, then Key=Value lines with the expected keys.
func checkUnitFile(t *testing.T, data []byte, section string, keys ...string) {
	t.Helper()
	var got []string
	inSection := false
	for _, line := range strings.Split(strings.TrimSpace(string(data)), "\n") {
		switch {
		case line == "" || strings.HasPrefix(line, "#"):
		case line == "["+section+"]":
			inSection = true
		case inSection && strings.Contains(line, "="):
			k, _, _ := strings.Cut(line, "=")
			got = append(got, k)
		default:
			t.Errorf("unexpected line %q", line)
		}
	}
	if !slices.Equal(got, keys) {
		t.Errorf("keys = %v, want %v", got, keys)
	}
}

func TestSecretsOnlyInNodeConfigs(t *testing.T) {
	ref := blueprint.Reference()
	code := ref.Credentials.SSM.ActivationCode.Reveal()
	b, findings, err := blueprint.Render(ref)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range b.Files() {
		if has := bytes.Contains(f.Content, []byte(code)); has != (f.Kind == blueprint.KindNodeConfig) {
			t.Errorf("%s: holds the activation code = %v", f.Path, has)
		}
		if strings.Contains(f.String(), code) || strings.Contains(f.GoString(), code) {
			t.Errorf("%s: String leaks the code", f.Path)
		}
	}
	for _, f := range findings {
		if strings.Contains(f.String(), code) {
			t.Errorf("finding leaks the code: %s", f)
		}
	}
}

func TestParseMarshalRoundTrip(t *testing.T) {
	y, err := blueprint.Marshal(blueprint.Reference())
	if err != nil {
		t.Fatal(err)
	}
	testkit.Golden(t, "reference.yaml", y)
	back, err := blueprint.Parse(y)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(back, blueprint.Reference()) {
		t.Errorf("Parse(Marshal(Reference())) differs:\n%+v\n%+v", back, blueprint.Reference())
	}
}

func TestInvalidBlueprints(t *testing.T) {
	for _, tc := range []struct {
		name   string
		mutate func(*blueprint.Blueprint)
		paths  []string
	}{
		{"pod network overlaps the VPC", func(b *blueprint.Blueprint) { b.Site.RemotePodNetwork = mustPrefix("10.0.128.0/17") }, []string{"site.remotePodNetwork"}},
		{"endpoint IP outside its subnet", func(b *blueprint.Blueprint) { b.DNS.Inbound.IPs[1].IP = mustAddr("10.0.9.100") }, []string{"dns.inbound.ips[1].ip"}},
		{"endpoint subnet unknown", func(b *blueprint.Blueprint) { b.DNS.Outbound.IPs[0].Subnet = "public-a" }, []string{"dns.outbound.ips[0].subnet"}},
		{"node addresses run out of the remote node network", func(b *blueprint.Blueprint) { b.NodePools[0].FirstAddress = mustAddr("192.168.10.250") }, []string{"nodePools[0].firstAddress"}},
		{"pod network too small", func(b *blueprint.Blueprint) { b.Site.RemotePodNetwork = mustPrefix("10.244.0.0/21") }, []string{"site.remotePodNetwork"}},
		{"NFS server outside every network", func(b *blueprint.Blueprint) { b.Storage[0].Server = mustAddr("172.31.5.5") }, []string{"storage[0].server"}},
		{"VPN MTU leaves no room", func(b *blueprint.Blueprint) { b.Site.NodeMTU = 1200 }, []string{"site.nodeMtu"}},
		{"unknown GPU", func(b *blueprint.Blueprint) { b.NodePools[0].GPU.Model = "a100" }, []string{"nodePools[0].gpu.model"}},
		{"old driver", func(b *blueprint.Blueprint) {
			b.NodePools[0].GPU.Model, b.NodePools[0].DriverVersion = "h200", "535.183.01"
		}, []string{"nodePools[0].driverVersion"}},
		{"half an activation", func(b *blueprint.Blueprint) { b.Credentials.SSM.ActivationCode = "" }, []string{"credentials.ssm.activationCode"}},
		{"same ASNs", func(b *blueprint.Blueprint) { b.Connectivity.DirectConnect.ASN = 64512 }, []string{"connectivity.directConnect.asn"}},
		{"subnet in another region", func(b *blueprint.Blueprint) { b.VPC.Subnets[1].AZ = "us-east-1a" }, []string{"vpc.subnets[1].az"}},
		{"MTU probe outside the VPC", func(b *blueprint.Blueprint) { b.Connectivity.MTUProbe = mustAddr("192.168.1.1") }, []string{"connectivity.mtuProbe"}},
		{"GPU sharing without a strategy", func(b *blueprint.Blueprint) { b.GPUSharing = &blueprint.GPUSharing{Replicas: 4} }, []string{"gpuSharing.strategy"}},
		{"GPU sharing unknown strategy", func(b *blueprint.Blueprint) { b.GPUSharing = &blueprint.GPUSharing{Strategy: "mig", Replicas: 4} }, []string{"gpuSharing.strategy"}},
		{"GPU sharing one replica", func(b *blueprint.Blueprint) { b.GPUSharing = &blueprint.GPUSharing{Strategy: "mps", Replicas: 1} }, []string{"gpuSharing.replicas"}},
		{"GPU sharing too many replicas", func(b *blueprint.Blueprint) {
			b.GPUSharing = &blueprint.GPUSharing{Strategy: "time-slicing", Replicas: 1025}
		}, []string{"gpuSharing.replicas"}},
		{"several at once", func(b *blueprint.Blueprint) {
			b.Cluster.Name = "bad name"
			b.VPC.ID = "vpc-x"
			b.NodePools[0].Count = 0
		}, []string{"cluster.name", "nodePools[0].count", "vpc.id"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			b := blueprint.Reference()
			tc.mutate(&b)
			bundle, findings, err := blueprint.Render(b)
			if err == nil || bundle.Len() != 0 || findings != nil {
				t.Fatalf("Render accepted it: %v", err)
			}
			var got []string
			for _, e := range ivalidation.FieldErrors(err) {
				if !slices.Contains(got, e.Field) {
					got = append(got, e.Field)
				}
			}
			slices.Sort(got)
			if !slices.Equal(got, tc.paths) {
				t.Errorf("error paths = %v, want %v\n%v", got, tc.paths, err)
			}
		})
	}
}

func TestParseRefusesWithPaths(t *testing.T) {
	y, err := blueprint.Marshal(blueprint.Reference())
	if err != nil {
		t.Fatal(err)
	}
	doc := strings.Replace(string(y), "  - company.local\n", "  - 'x\"; }; zone \"evil'\n", 1)
	doc = strings.Replace(doc, "cluster:\n", "cluster:\n  nodeName: x\n", 1)
	doc = strings.Replace(doc, "cidr: 10.0.0.0/16", "cidr: 10.0.0.0/33", 1)
	_, err = blueprint.Parse([]byte(doc))
	var got []string
	for _, e := range ivalidation.FieldErrors(err) {
		got = append(got, e.Field)
	}
	// Unknown keys and bad values together, in document order.
	if !slices.Equal(got, []string{"cluster.nodeName", "vpc.cidr", "dns.zones[0]"}) {
		t.Errorf("unknown key and bad values: %v (%v)", got, err)
	}
	doc = strings.Replace(doc, "  nodeName: x\n", "", 1)
	_, err = blueprint.Parse([]byte(doc))
	got = nil
	for _, e := range ivalidation.FieldErrors(err) {
		got = append(got, e.Field)
	}
	if !slices.Equal(got, []string{"vpc.cidr", "dns.zones[0]"}) {
		t.Errorf("bad values: %v (%v)", got, err)
	}
}

func TestWithoutActivationNoNodeConfigs(t *testing.T) {
	b := blueprint.Reference()
	b.Credentials.SSM.ActivationID, b.Credentials.SSM.ActivationCode = "", ""
	bundle, findings, err := blueprint.Render(b)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range bundle.Files() {
		if f.Kind == blueprint.KindNodeConfig {
			t.Errorf("%s rendered without an activation", f.Path)
		}
	}
	if !slices.ContainsFunc(findings, func(f adviceFinding) bool { return f.Code == "blueprint/no-activation" }) {
		t.Error("no finding says why the NodeConfigs are missing")
	}
	if _, ok := bundle.File("aws/04-identity.sh"); !ok {
		t.Error("the identity script that creates the activation is missing")
	}
}

func BenchmarkRenderReference(b *testing.B) {
	ref := blueprint.Reference()
	b.ReportAllocs()
	for b.Loop() {
		if _, _, err := blueprint.Render(ref); err != nil {
			b.Fatal(err)
		}
	}
}

func TestValidPath(t *testing.T) {
	for _, tc := range []struct {
		path string
		ok   bool
	}{
		{"README.md", true},
		{"nodeconfigs/gpu-node-01.yaml", true},
		{"a/b/c_d-e.f", true},
		{"", false},
		{"../escaped.yaml", false},
		{"nodeconfigs/../../x", false},
		{"/etc/passwd", false},
		{"a//b", false},
		{"a/./b", false},
		{"a/", false},
		{".", false},
		{"a b", false},
		{"a\nb", false},
		{`a\b`, false},
		{"c:/x", false},
		{"é", false},
		{strings.Repeat("a", 1025), false},
	} {
		if err := blueprint.ValidPath(tc.path); (err == nil) != tc.ok {
			t.Errorf("ValidPath(%q) = %v, want ok=%v", tc.path, err, tc.ok)
		}
	}
	if _, err := blueprint.NewBundle(blueprint.File{Path: "../x"}); err == nil {
		t.Error("NewBundle held a path outside its folder")
	}
	if _, err := blueprint.NewBundle(blueprint.File{Path: "a"}, blueprint.File{Path: "a"}); err == nil {
		t.Error("NewBundle held two files at one path")
	}
	if _, err := blueprint.NewBundle(blueprint.File{Path: blueprint.IndexPath}); err == nil {
		t.Error("NewBundle held a file where the index goes")
	}
}

func TestRenderLeavesTheBlueprintAlone(t *testing.T) {
	b := blueprint.Reference()
	b.Storage[0].Namespace, b.Storage[0].NFSVersion = "", 0
	b.Connectivity.DirectConnect.VIF = ""
	before := fmt.Sprintf("%#v", b)
	render(t, b)
	if after := fmt.Sprintf("%#v", b); after != before {
		t.Error("Render changed the caller's blueprint")
	}
}

func TestTooManyNodes(t *testing.T) {
	b := blueprint.Reference()
	b.Credentials = iraCredentials()
	p := b.NodePools[0]
	b.NodePools = nil
	for i := range 11 {
		p.Name = fmt.Sprintf("gpu%d", i)
		p.HostnamePattern = p.Name + "-%05d"
		p.Count = 10_000
		b.NodePools = append(b.NodePools, p)
	}
	_, _, err := blueprint.Render(b)
	var got []string
	for _, e := range ivalidation.FieldErrors(err) {
		got = append(got, e.Field)
	}
	if !slices.Contains(got, "nodePools") {
		t.Errorf("110,000 nodes: %v", err)
	}
}

func TestParseBoundsTheInput(t *testing.T) {
	big := make([]byte, blueprint.MaxBlueprintBytes+1)
	for i := range big {
		big[i] = ' '
	}
	if _, err := blueprint.Parse(big); err == nil || !strings.Contains(err.Error(), "3 MiB") {
		t.Errorf("a blueprint over 3 MiB: %v", err)
	}
	var doc strings.Builder
	doc.WriteString("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n")
	for i := 1; i < 9; i++ {
		fmt.Fprintf(&doc, "a%d: &a%d [*a%d, *a%d, *a%d, *a%d, *a%d, *a%d, *a%d, *a%d, *a%d, *a%d]\n", i, i, i-1, i-1, i-1, i-1, i-1, i-1, i-1, i-1, i-1, i-1)
	}
	if _, err := blueprint.Parse([]byte(doc.String())); err == nil || !strings.Contains(err.Error(), "aliases") {
		t.Errorf("an alias bomb: %v", err)
	}
}

func iraCredentials() blueprint.Credentials {
	return blueprint.Credentials{
		Provider: nodeconfig.ProviderIAMRolesAnywhere,
		IAMRolesAnywhere: &blueprint.RolesAnywhereCredentials{
			TrustAnchorARN: "arn:aws:rolesanywhere:ap-northeast-2:111122223333:trust-anchor/1b2c3d4e-5f60-4a7b-8c9d-0e1f2a3b4c5d",
			ProfileARN:     "arn:aws:rolesanywhere:ap-northeast-2:111122223333:profile/9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d",
		},
	}
}

// TestMarshalReadingOrder: the sections come in reading order, each after
// its comment, and read back.
func TestMarshalReadingOrder(t *testing.T) {
	y, err := blueprint.Marshal(blueprint.Reference())
	if err != nil {
		t.Fatal(err)
	}
	var keys []string
	lines := strings.Split(string(y), "\n")
	for i, l := range lines {
		if l != "" && l[0] != ' ' && l[0] != '#' && l[0] != '-' {
			keys = append(keys, strings.TrimSuffix(strings.Fields(l)[0], ":"))
			if i == 0 || !strings.HasPrefix(lines[i-1], "# ") {
				t.Errorf("section %s has no comment above it", l)
			}
		}
	}
	want := []string{"cluster", "vpc", "site", "connectivity", "cni", "credentials", "nodePools", "dns", "storage", "workloads", "pricing"}
	if !slices.Equal(keys, want) {
		t.Errorf("sections %v, want %v", keys, want)
	}
	if _, err := blueprint.Parse(y); err != nil {
		t.Error(err)
	}
}

// linkURL matches the URL part of a Markdown link, which a reader does
// not see.
var linkURL = regexp.MustCompile(`\]\([^)]*\)`)

// maxCell is the longest table cell the report writes, as a reader sees
// it (a link counts as its text): a wider cell wraps a word per line.
const maxCell = 80

// TestReportReadable holds the report of the reference and each variant
// to tables that fit a page: no empty header, no cell over maxCell, and a
// flow matrix of at most 15 rows for the reference.
func TestReportReadable(t *testing.T) {
	bs := map[string]blueprint.Blueprint{"reference": blueprint.Reference()}
	maps.Copy(bs, variants())
	for name, b := range bs {
		t.Run(name, func(t *testing.T) {
			f, _ := render(t, b).File("README.md")
			lines := strings.Split(string(f.Content), "\n")
			for i, l := range lines {
				if !strings.HasPrefix(l, "|") {
					continue
				}
				if i+1 < len(lines) && strings.HasPrefix(lines[i+1], "| ---") && strings.Trim(l, "| ") == "" {
					t.Errorf("line %d: an empty table header", i+1)
				}
				for _, cell := range strings.Split(strings.Trim(l, "|"), " | ") {
					if n := utf8.RuneCountInString(linkURL.ReplaceAllString(strings.TrimSpace(cell), "]")); n > maxCell {
						t.Errorf("line %d: a cell of %d characters: %s", i+1, n, cell)
					}
				}
			}
			if name == "reference" {
				flows := strings.Split(string(f.Content), "## Flows")[1]
				flows = strings.Split(flows, "\n## ")[0]
				if n := strings.Count(flows, "\n| ") - 2; n > 15 {
					t.Errorf("the flow matrix has %d rows", n)
				}
			}
		})
	}
}
