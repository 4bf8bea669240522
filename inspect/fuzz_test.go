package inspect

import (
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/hybridkit/hybridkit/advice"
)

// seedTestdata adds every fixture as a seed.
func seedTestdata(f *testing.F) {
	for _, dir := range []string{"guide", "real", "conflict"} {
		entries, _ := os.ReadDir(filepath.Join("testdata", dir))
		for _, e := range entries {
			if b, err := os.ReadFile(filepath.Join("testdata", dir, e.Name())); err == nil {
				f.Add(e.Name(), b)
			}
		}
	}
}

// FuzzFile: any input is a kind or unknown, never a panic; every finding
// names the file, has a level and a code, and a line inside the input.
func FuzzFile(f *testing.F) {
	seedTestdata(f)
	f.Fuzz(func(t *testing.T, name string, data []byte) {
		kind, fs, err := File(name, data)
		if err != nil {
			return
		}
		if kind == "" {
			t.Fatal("empty kind")
		}
		lines := 1
		for _, c := range data {
			if c == '\n' {
				lines++
			}
		}
		for _, f := range fs {
			if f.File != name || f.Code == "" || f.Level < advice.Info || f.Level > advice.Error || f.Line < 0 || f.Line > lines {
				t.Fatalf("finding %#v of a %d-line input", f, lines)
			}
		}
	})
}

// FuzzParseBIND: no panic; what parses prints and parses back the same.
func FuzzParseBIND(f *testing.F) {
	f.Add([]byte("zone \"a\" { type forward; forwarders { 10.0.0.1 port 53; }; };"))
	f.Add([]byte("options { /* c */ forward only; # c\n validate-except { \"a\"; }; };"))
	f.Fuzz(func(t *testing.T, data []byte) {
		sts, err := parseBIND(data)
		if err != nil {
			return
		}
		again, err := parseBIND([]byte(printBIND(sts)))
		if err != nil {
			t.Fatalf("printed statements do not parse: %v", err)
		}
		if !reflect.DeepEqual(shape(again), shape(sts)) {
			t.Fatalf("round trip changed the statements")
		}
		bindZones(sts)
	})
}

// FuzzParseUnbound: no panic; the clauses print and parse back the same.
func FuzzParseUnbound(f *testing.F) {
	f.Add([]byte("server:\n  domain-insecure: \"a.\"\nforward-zone:\n  name: \"a.\"\n  forward-addr: 10.0.0.1@53\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		cs, err := parseUnbound(data)
		if err != nil {
			return
		}
		var b []byte
		for _, c := range cs {
			for _, l := range c {
				b = append(b, l.key+": \""+l.value+"\"\n"...)
			}
		}
		again, err := parseUnbound(b)
		if err != nil {
			return // a value with a quote or '#' is not written back faithfully
		}
		if len(again) != len(cs) {
			t.Fatalf("%d clauses, then %d", len(cs), len(again))
		}
		unboundZones(cs)
	})
}

// FuzzParseDnsmasq: no panic; what parses has an address per server.
func FuzzParseDnsmasq(f *testing.F) {
	f.Add([]byte("server=/a/b/10.0.0.1#53\nlocal=/lan/\nserver=8.8.8.8\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		ss, err := parseDnsmasq(data)
		if err != nil {
			return
		}
		for _, z := range dnsmasqZones(ss) {
			if len(z.targets) == 0 {
				t.Fatalf("zone %s without targets", z.domain)
			}
		}
	})
}

// FuzzParseRoutes: no panic; every route has a destination.
func FuzzParseRoutes(f *testing.F) {
	f.Add([]byte("default via 10.0.0.1 dev eth0\n10.0.0.0/24 dev eth0 proto kernel scope link src 10.0.0.2\n"))
	f.Add([]byte(`[{"dst":"default","gateway":"10.0.0.1"}]`))
	f.Fuzz(func(t *testing.T, data []byte) {
		rs, err := parseRoutes(data)
		if err != nil {
			return
		}
		for _, r := range rs {
			if !r.isDefault && !r.dst.IsValid() {
				t.Fatalf("route without a destination: %+v", r)
			}
		}
	})
}
