package lab_test

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/hybridkit/hybridkit/advice"
	"github.com/hybridkit/hybridkit/dnsplan"
)

// corefileCase is a Corefile and whether CoreDNS starts with it; old
// says otherwise for v1.12.4 where it differs. Every server listens on
// port 15353, which the test moves for each run.
type corefileCase struct {
	name   string
	conf   string
	starts bool
	old    *bool
}

func corefileCases() []corefileCase {
	yes := true
	upstreams := strings.Repeat(" 127.0.0.1", 15)
	return []corefileCase{
		{"snippet and a file import that matches nothing", "(common) {\n    errors\n    cache 30\n}\nx.internal:15353 {\n    import common\n    import custom/*.override\n    forward . 127.0.0.1\n}\n", true, nil},
		{"a single server without braces", "x.internal:15353\nforward . 127.0.0.1\n", true, nil},
		{"forward block on the next line", "x.internal:15353 {\n    forward . 127.0.0.1\n    {\n        policy sequential\n    }\n}\n", false, nil},
		{"forward block on its line", "x.internal:15353 {\n    forward . 127.0.0.1 {\n        policy sequential\n    }\n}\n", true, nil},
		{"fifteen upstreams", "x.internal:15353 {\n    forward ." + upstreams + "\n}\n", true, nil},
		{"sixteen upstreams", "x.internal:15353 {\n    forward ." + upstreams + " 127.0.0.2\n}\n", false, nil},
		{"cache twice", "x.internal:15353 {\n    cache 30\n    cache 60\n    forward . 127.0.0.1\n}\n", false, nil},
		{"log twice", "x.internal:15353 {\n    log\n    log\n    forward . 127.0.0.1\n}\n", true, nil},
		{"forward without an upstream", "x.internal:15353 {\n    forward .\n}\n", false, nil},
		{"policy fastest", "x.internal:15353 {\n    forward . 127.0.0.1 {\n        policy fastest\n    }\n}\n", false, nil},
		{"a host name upstream", "x.internal:15353 {\n    forward . resolver.invalid\n}\n", false, nil},
		{"an unknown plugin", "x.internal:15353 {\n    proxy . 127.0.0.1\n}\n", false, nil},
		{"one zone in two blocks", "x.internal:15353 {\n    forward . 127.0.0.1\n}\nx.internal:15353 {\n    forward . 127.0.0.1\n}\n", false, nil},
		// v1.12.4 compares the keys as written and serves one of the two.
		{"one zone in two blocks, spelled apart", "x.internal:15353 {\n    forward . 127.0.0.1\n}\nX.Internal.:15353 {\n    forward . 127.0.0.1\n}\n", false, &yes},
	}
}

// corednsStarts runs CoreDNS with the Corefile and reports whether it is
// still serving after two seconds (a refused Corefile ends it at once),
// with what it printed.
func corednsStarts(t *testing.T, bin, conf string, port int) (bool, string) {
	t.Helper()
	dir := t.TempDir()
	path := filepath.Join(dir, "Corefile")
	if err := os.WriteFile(path, []byte(strings.ReplaceAll(conf, ":15353", ":"+itoa(port))), 0o644); err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	cmd := exec.Command(bin, "-conf", path)
	cmd.Dir, cmd.Stdout, cmd.Stderr = dir, &out, &out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case <-done:
		return false, out.String()
	case <-time.After(2 * time.Second):
		_ = cmd.Process.Kill()
		<-done
		return true, out.String()
	}
}

// TestCorefileCheckAgreesWithCoreDNS runs CoreDNS v1.15.0 and v1.12.4 (the
// EKS add-on's release for Kubernetes 1.33 and 1.34) on each Corefile and
// checks that dnsplan.ParseCorefile and Corefile.Check refuse exactly the
// ones either release refuses to start with.
func TestCorefileCheckAgreesWithCoreDNS(t *testing.T) {
	t.Parallel()
	bins := map[string]string{
		"v1.15.0": goTool(t, "coredns", "github.com/coredns/coredns@v1.15.0"),
		"v1.12.4": goTool(t, "coredns-v1.12.4/coredns", "github.com/coredns/coredns@v1.12.4 (GOBIN=$(go env GOPATH)/bin/coredns-v1.12.4)"),
	}
	for i, tc := range corefileCases() {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			port := 15400 + 10*i
			cf, err := dnsplan.ParseCorefile([]byte(tc.conf))
			refused := err != nil
			if err == nil {
				for _, f := range cf.Check() {
					refused = refused || f.Level == advice.Error
				}
			}
			if refused == (tc.starts && (tc.old == nil || *tc.old)) {
				t.Errorf("hybridkit refuses it: %v (parse error %v, findings %v); CoreDNS starts: %v", refused, err, cf.Check(), tc.starts)
			}
			for version, bin := range bins {
				port++
				want := tc.starts
				if version == "v1.12.4" && tc.old != nil {
					want = *tc.old
				}
				starts, out := corednsStarts(t, bin, tc.conf, port)
				if starts != want {
					t.Errorf("CoreDNS %s starts: %v, want %v\n%s", version, starts, want, out)
				}
			}
		})
	}
}
