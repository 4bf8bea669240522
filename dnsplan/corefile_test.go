package dnsplan_test

import (
	"reflect"
	"strings"
	"testing"

	"github.com/hybridkit/hybridkit/dnsplan"
)

func TestCorefileRoundTrip(t *testing.T) {
	cf, err := dnsplan.RenderCorefile(referencePlan())
	if err != nil {
		t.Fatal(err)
	}
	parsed, err := dnsplan.ParseCorefile(cf)
	if err != nil {
		t.Fatal(err)
	}
	if fs := parsed.Check(); len(fs) != 0 {
		t.Errorf("Check(rendered) = %v", fs)
	}
	again, err := parsed.Bytes()
	if err != nil || string(again) != string(cf) {
		t.Errorf("Bytes(Parse(x)) != x: %v\n%s\n---\n%s", err, again, cf)
	}
	if len(parsed.Blocks) != 2 || parsed.Blocks[1].Keys[0] != "company.local:53" {
		t.Errorf("blocks = %+v", parsed.Blocks)
	}
}

func TestParseCorefileSyntax(t *testing.T) {
	in := `# comment
.:53 {
    errors # trailing comment
    kubernetes cluster.local in-addr.arpa ip6.arpa {
        pods insecure
    }
    forward . "/etc/resolv.conf"
}
company.local:53, corp.internal {
    forward . 192.168.1.53
}
`
	cf, err := dnsplan.ParseCorefile([]byte(in))
	if err != nil {
		t.Fatal(err)
	}
	want := dnsplan.Corefile{Blocks: []dnsplan.ServerBlock{
		{Keys: []string{".:53"}, Directives: []dnsplan.Directive{
			{Name: "errors"},
			{Name: "kubernetes", Args: []string{"cluster.local", "in-addr.arpa", "ip6.arpa"}, Block: []dnsplan.Directive{{Name: "pods", Args: []string{"insecure"}}}},
			{Name: "forward", Args: []string{".", "/etc/resolv.conf"}},
		}},
		{Keys: []string{"company.local:53", "corp.internal"}, Directives: []dnsplan.Directive{{Name: "forward", Args: []string{".", "192.168.1.53"}}}},
	}}
	if !reflect.DeepEqual(cf, want) {
		t.Errorf("ParseCorefile =\n%+v\nwant\n%+v", cf, want)
	}
	for _, bad := range []string{
		".:53 {\n errors\n",           // missing }
		".:53 errors\n",               // no {
		"}\n",                         // stray }
		"{\n errors\n}\n",             // no keys
		".:53 {\n forward . \"x\n}\n", // unterminated quote
	} {
		if _, err := dnsplan.ParseCorefile([]byte(bad)); err == nil {
			t.Errorf("ParseCorefile(%q) succeeded", bad)
		}
	}
}

func TestCorefileCheck(t *testing.T) {
	upstreams := strings.Repeat(" 192.168.1.53", 16)
	for _, tc := range []struct {
		name, in, code string
	}{
		{"unknown plugin", ".:53 {\n ready\n proxy . 8.8.8.8\n}\n", dnsplan.CodeCorefileUnknownPlugin},
		{"duplicate zone", "company.local:53 {\n forward . 1.1.1.1\n}\nCompany.Local. {\n forward . 1.1.1.1\n}\n", dnsplan.CodeCorefileDuplicateKey},
		{"16 upstreams", "x.internal {\n forward ." + upstreams + "\n}\n", dnsplan.CodeCorefileTooManyUpstream},
		{"no ready", ".:53 {\n errors\n}\n", dnsplan.CodeCorefileNoReady},
		{"bad key", "bad/zone:99999 {\n errors\n}\n", dnsplan.CodeCorefileBadKey},
	} {
		cf, err := dnsplan.ParseCorefile([]byte(tc.in))
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		fs := cf.Check()
		if len(fs) != 1 || fs[0].Code != tc.code {
			t.Errorf("%s: Check = %v, want one %s", tc.name, fs, tc.code)
		}
	}
	ok := "10.0.0.0/8 .:53 {\n ready\n forward ." + strings.Repeat(" 192.168.1.53", 15) + "\n}\n"
	cf, err := dnsplan.ParseCorefile([]byte(ok))
	if err != nil {
		t.Fatal(err)
	}
	if fs := cf.Check(); len(fs) != 0 {
		t.Errorf("Check(15 upstreams, CIDR key) = %v", fs)
	}
}
