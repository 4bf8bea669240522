package inspect

import (
	"fmt"
	"net/netip"
	"reflect"
	"strings"
	"testing"
)

// printBIND writes statements back as named.conf text, for the
// round-trip tests: every word quoted, one statement per line.
func printBIND(sts []bindStatement) string {
	var b strings.Builder
	var write func([]bindStatement)
	write = func(sts []bindStatement) {
		for _, st := range sts {
			for _, w := range st.words {
				// named.conf's quoting: a backslash escapes the next
				// byte, whatever it is.
				b.WriteByte('"')
				for i := 0; i < len(w); i++ {
					if w[i] == '"' || w[i] == '\\' {
						b.WriteByte('\\')
					}
					b.WriteByte(w[i])
				}
				b.WriteString("\" ")
			}
			if st.hasBlock {
				b.WriteString("{\n")
				write(st.block)
				b.WriteString("}")
			}
			b.WriteString(";\n")
		}
	}
	write(sts)
	return b.String()
}

// shape is a statement tree without lines, for comparisons.
func shape(sts []bindStatement) []bindStatement {
	out := make([]bindStatement, len(sts))
	for i, st := range sts {
		out[i] = bindStatement{words: st.words, hasBlock: st.hasBlock, block: shape(st.block)}
		if len(out[i].block) == 0 {
			out[i].block = nil
		}
	}
	return out
}

func TestParseBIND(t *testing.T) {
	const conf = `// options
options {
	directory "/var/cache/bind"; # comment
	/* a block
	   comment */ forward only;
	forwarders { 10.0.0.1 port 5353; 10.0.0.2; };
	dnssec-validation auto;
	validate-except { "x.internal"; "y.internal."; };
};
view "in\"side" {
	zone "a.internal" IN {
		type forward;
		forwarders { 192.0.2.1; };
	};
};
zone "b.internal" { type forward; forward first; forwarders { 192.0.2.2; }; };
;
`
	sts, err := parseBIND([]byte(conf))
	if err != nil {
		t.Fatal(err)
	}
	zs := bindZones(sts)
	type z struct {
		domain, policy, at string
		targets            []netip.Addr
		line               int
		validated          bool
	}
	var got []z
	for _, x := range zs {
		var ts []netip.Addr
		for _, t := range x.targets {
			ts = append(ts, t.addr)
		}
		got = append(got, z{x.domain, string(x.policy), x.at.String(), ts, x.line, x.validated})
	}
	a := netip.MustParseAddr
	want := []z{
		{".", "only", "options.forwarders", []netip.Addr{a("10.0.0.1"), a("10.0.0.2")}, 6, false},
		{"a.internal", "only", `view[in"side].zone[a.internal]`, []netip.Addr{a("192.0.2.1")}, 11, true},
		{"b.internal", "first", "zone[b.internal]", []netip.Addr{a("192.0.2.2")}, 16, true},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("zones\n got %+v\nwant %+v", got, want)
	}
	again, err := parseBIND([]byte(printBIND(sts)))
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(shape(again), shape(sts)) {
		t.Errorf("round trip changed the statements")
	}
	for _, bad := range []struct {
		conf string
		line int
	}{
		{"zone \"a\" {\n type forward\n};\n", 3},
		{"zone \"a\" {\n type forward;\n}\n", 1},
		{"options {\n", 1},
		{"};\n", 1},
		{"zone \"a\n", 1},
		{"/* open\n", 1},
		{strings.Repeat("a {", maxBINDDepth+2), 1},
		// The brace one level too deep is the last token (the fuzzer's
		// "{{{…"), and its line is the one reported.
		{strings.Repeat("{", maxBINDDepth+1), 1},
		{strings.Repeat("a {\n", maxBINDDepth+1), maxBINDDepth + 1},
	} {
		_, err := parseBIND([]byte(bad.conf))
		if err == nil {
			t.Errorf("%q parsed", bad.conf)
			continue
		}
		if n, ok := lineOf(err.Error()); !ok || n != bad.line {
			t.Errorf("%q: %v, want line %d", bad.conf, err, bad.line)
		}
	}
}

func TestParseUnbound(t *testing.T) {
	cs, err := parseUnbound([]byte("server:\n  domain-insecure: \"a.internal\" # why\nforward-zone:\n  name: \"a.internal.\"\n  forward-addr: 10.0.0.1@5353#dns.example\n  forward-first: yes\n"))
	if err != nil {
		t.Fatal(err)
	}
	zs := unboundZones(cs)
	if len(zs) != 1 || zs[0].domain != "a.internal" || zs[0].policy != "first" || zs[0].targets[0].addr != netip.MustParseAddr("10.0.0.1") || zs[0].line != 4 {
		t.Errorf("zones %+v", zs)
	}
	if _, err := parseUnbound([]byte("server:\n  just words\n")); err == nil {
		t.Error("a line without a colon parsed")
	}
}

func TestParseDnsmasq(t *testing.T) {
	ss, err := parseDnsmasq([]byte("# c\nno-resolv\nserver=8.8.8.8\nserver=/a.internal/b.internal/10.0.0.1#5353\nlocal=/lan/\nserver=/c.internal/\n"))
	if err != nil {
		t.Fatal(err)
	}
	zs := dnsmasqZones(ss)
	var got []string
	for _, z := range zs {
		got = append(got, fmt.Sprintf("%s@%d=%v", z.domain, z.line, z.targets[0].addr))
	}
	if want := []string{".@3=8.8.8.8", "a.internal@4=10.0.0.1", "b.internal@4=10.0.0.1"}; !reflect.DeepEqual(got, want) {
		t.Errorf("zones %v, want %v", got, want)
	}
	for _, bad := range []string{"server=/a\n", "server=not-an-ip\n"} {
		if _, err := parseDnsmasq([]byte(bad)); err == nil {
			t.Errorf("%q parsed", bad)
		}
	}
}

func TestParseRoutes(t *testing.T) {
	text := "default via 192.168.10.1 dev eno1 proto static\nlocal 192.168.10.21 dev eno1 table local proto kernel scope host src 192.168.10.21\n10.244.1.0/24 via 10.244.1.1 dev cilium_host src 10.244.1.1\n192.168.10.0/24 dev eno1 proto kernel scope link src 192.168.10.21\n"
	rs, err := parseRoutes([]byte(text))
	if err != nil {
		t.Fatal(err)
	}
	if len(rs) != 4 || !rs[0].isDefault || rs[1].typ != "local" || rs[1].dst != netip.MustParsePrefix("192.168.10.21/32") ||
		!rs[3].connected() || rs[2].connected() || !cniDevice(rs[2].dev) || rs[3].line != 4 {
		t.Errorf("routes %+v", rs)
	}
	js, err := parseRoutes([]byte(`[{"dst":"default","gateway":"192.168.10.1","dev":"eno1"},{"dst":"192.168.10.0/24","dev":"eno1","protocol":"kernel","scope":"link","prefsrc":"192.168.10.21"}]`))
	if err != nil {
		t.Fatal(err)
	}
	if len(js) != 2 || !js[1].connected() || js[1].prefsrc != netip.MustParseAddr("192.168.10.21") || js[1].at.String() != "routes[1]" {
		t.Errorf("routes %+v", js)
	}
}

func TestSplitYAMLDocuments(t *testing.T) {
	docs := splitYAMLDocuments([]byte("# head\n---\na: 1\n--- # two\nb: 2\n---\n# only a comment\n---\nc: 3"))
	var got []string
	for _, d := range docs {
		got = append(got, fmt.Sprintf("%d:%d/%d:%q", d.line, d.index, d.count, strings.TrimSpace(string(d.data))))
	}
	if want := []string{`3:0/3:"a: 1"`, `5:1/3:"b: 2"`, `9:2/3:"c: 3"`}; !reflect.DeepEqual(got, want) {
		t.Errorf("documents %v, want %v", got, want)
	}
}
