package dnsplan_test

import (
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/hybridkit/hybridkit/advice"
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
			{Name: "errors", Line: 3},
			{Name: "kubernetes", Args: []string{"cluster.local", "in-addr.arpa", "ip6.arpa"}, Block: []dnsplan.Directive{{Name: "pods", Args: []string{"insecure"}, Line: 5}}, Line: 4},
			{Name: "forward", Args: []string{".", "/etc/resolv.conf"}, Line: 7},
		}},
		{Keys: []string{"company.local:53", "corp.internal"}, Directives: []dnsplan.Directive{{Name: "forward", Args: []string{".", "192.168.1.53"}, Line: 10}}},
	}}
	if !reflect.DeepEqual(cf, want) {
		t.Errorf("ParseCorefile =\n%+v\nwant\n%+v", cf, want)
	}
}

// TestParseCorefileAsCoreDNS checks inputs CoreDNS's parser reads in ways
// a hand-written parser gets wrong: snippets, file imports, a server
// without braces, keys continued after a comma; and the inputs CoreDNS
// refuses.
func TestParseCorefileAsCoreDNS(t *testing.T) {
	for _, tc := range []struct {
		name, in string
		want     dnsplan.Corefile
	}{
		{"snippet", "(common) {\n    errors\n}\n.:53 {\n    import common\n    ready\n}\n",
			dnsplan.Corefile{Blocks: []dnsplan.ServerBlock{{Keys: []string{".:53"}, Directives: []dnsplan.Directive{{Name: "errors", Line: 2}, {Name: "ready", Line: 6}}}}}},
		{"file import", ".:53 {\n    import custom/*.override\n    ready\n}\nimport custom/*.server\n",
			dnsplan.Corefile{Blocks: []dnsplan.ServerBlock{{Keys: []string{".:53"}, Directives: []dnsplan.Directive{{Name: "ready", Line: 3}}}}, Imports: []string{"custom/*.override", "custom/*.server"}}},
		{"no braces", ".\nforward . 1.1.1.1\n",
			dnsplan.Corefile{Blocks: []dnsplan.ServerBlock{{Keys: []string{"."}, Directives: []dnsplan.Directive{{Name: "forward", Args: []string{".", "1.1.1.1"}, Line: 2}}}}}},
		{"keys after a comma", "a.example,\n  b.example {\n log\n}\n",
			dnsplan.Corefile{Blocks: []dnsplan.ServerBlock{{Keys: []string{"a.example", "b.example"}, Directives: []dnsplan.Directive{{Name: "log", Line: 3}}}}}},
		{"keys only", ".:53 errors\n", dnsplan.Corefile{Blocks: []dnsplan.ServerBlock{{Keys: []string{".:53", "errors"}}}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cf, err := dnsplan.ParseCorefile([]byte(tc.in))
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(cf, tc.want) {
				t.Errorf("ParseCorefile =\n%+v\nwant\n%+v", cf, tc.want)
			}
		})
	}
	for _, bad := range []string{
		".:53 {\n errors\n",                         // missing }
		"a, {\n log\n}\n",                           // a comma, then no key
		"(s) {\n log\n}\n(s) {\n errors\n}\n",       // a snippet declared twice
		".:53 {\n forward . 1.1.1.1 }\n",            // '}' without '{'
		"(s) {\n import s\n}\n",                     // a snippet importing itself
		".:53 {\n import\n}\n",                      // import without an argument
		".:53 {\n import a b\n}\n",                  // import with two
		".:53 {\n forward . 1.1.1.1 { } extra\n}\n", // text after a block
		".:53 {\n \"\" x\n}\n",                      // an empty directive name
		".:53 {\n forward . \"x\n}\n",               // a quote that swallows the '}'
	} {
		if _, err := dnsplan.ParseCorefile([]byte(bad)); err == nil {
			t.Errorf("ParseCorefile(%q) succeeded", bad)
		}
	}
	if _, err := dnsplan.ParseCorefile(make([]byte, dnsplan.MaxCorefileBytes+1)); err == nil {
		t.Error("ParseCorefile read more than MaxCorefileBytes")
	}
}

// TestCorefileCheck checks each rule alone, with an input CoreDNS refuses
// (or warns about) and its nearest accepted neighbour.
func TestCorefileCheck(t *testing.T) {
	upstreams := func(n int) string { return strings.Repeat(" 192.168.1.53", n) }
	for _, tc := range []struct {
		name, bad, good string
		code            advice.Code
	}{
		{"unknown plugin", ".:53 {\n ready\n proxy . 8.8.8.8\n}\n", ".:53 {\n ready\n forward . 8.8.8.8\n}\n", dnsplan.CodeCorefileUnknownPlugin},
		{"duplicate zone", "company.local:53 {\n forward . 1.1.1.1\n}\nCompany.Local. {\n forward . 1.1.1.1\n}\n",
			"company.local:53 {\n forward . 1.1.1.1\n}\nCompany.Local.:5353 {\n forward . 1.1.1.1\n}\n", dnsplan.CodeCorefileDuplicateKey},
		{"16 upstreams", "x.internal {\n forward ." + upstreams(16) + "\n}\n", "x.internal {\n forward ." + upstreams(15) + "\n}\n", dnsplan.CodeCorefileTooManyUpstream},
		{"no ready", ".:53 {\n errors\n}\n", ".:53 {\n errors\n ready\n}\n", dnsplan.CodeCorefileNoReady},
		{"bad key", "bad/zone:99999 {\n errors\n}\n", "10.0.0.0/8:53 {\n errors\n}\n", dnsplan.CodeCorefileBadKey},
		{"cache twice", "x.internal {\n cache 30\n cache 60\n}\n", "x.internal {\n cache 30\n}\n", dnsplan.CodeCorefileDuplicatePlugin},
		{"forward without upstream", "x.internal {\n forward .\n}\n", "x.internal {\n forward . 10.0.0.2\n}\n", dnsplan.CodeCorefileForwardArgs},
		{"policy fastest", "x.internal {\n forward . 10.0.0.2 {\n  policy fastest\n }\n}\n", "x.internal {\n forward . 10.0.0.2 {\n  policy round_robin\n }\n}\n", dnsplan.CodeCorefileForwardPolicy},
		{"host name upstream", "x.internal {\n forward . dns.example.com\n}\n", "x.internal {\n forward . tls://10.0.0.2:853 [fd00::53]:53 /etc/resolv.conf\n}\n", dnsplan.CodeCorefileHostUpstream},
		{"file import", ".:53 {\n ready\n import custom/*.override\n}\n", "(s) {\n errors\n}\n.:53 {\n ready\n import s\n}\n", dnsplan.CodeCorefileImport},
	} {
		t.Run(tc.name, func(t *testing.T) {
			for _, side := range []struct {
				in   string
				want bool
			}{{tc.bad, true}, {tc.good, false}} {
				cf, err := dnsplan.ParseCorefile([]byte(side.in))
				if err != nil {
					t.Fatal(err)
				}
				var codes []advice.Code
				for _, f := range cf.Check() {
					codes = append(codes, f.Code)
					if !strings.HasPrefix(f.Ref, "https://") {
						t.Errorf("%s: no source", f.Code)
					}
				}
				if got := slices.Contains(codes, tc.code); got != side.want || len(codes) > 1 {
					t.Errorf("%q: Check codes %v, want %s: %v", side.in, codes, tc.code, side.want)
				}
			}
		})
	}
}
