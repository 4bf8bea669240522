package dnsplan_test

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"

	"github.com/hybridkit/hybridkit/dnsplan"
)

func FuzzParseDomain(f *testing.F) {
	for _, s := range append([]string{"company.local", "Company.LOCAL.", "_msdcs.corp.example", "10.in-addr.arpa"}, hostileNames...) {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, err := dnsplan.ParseDomain(s)
		if err != nil {
			return
		}
		// A parsed name needs no escaping anywhere and parses to itself.
		if strings.ContainsAny(d.String(), "\"'\\;{}/# \t\n\x00") || d.String() != strings.ToLower(d.String()) {
			t.Fatalf("ParseDomain(%q) = %q", s, d)
		}
		again, err := dnsplan.ParseDomain(d.FQDN())
		if err != nil || again != d {
			t.Fatalf("ParseDomain(FQDN(%q)) = %q, %v", d, again, err)
		}
	})
}

// FuzzRenderers puts a fuzzed name into every renderer: none may panic, a
// refused name renders nothing, and the Corefile re-parses to the blocks it
// was written from.
func FuzzRenderers(f *testing.F) {
	for _, s := range append([]string{"company.local", "corp.internal", "a.b.c.d.e"}, hostileNames...) {
		f.Add(s, uint16(53))
	}
	f.Add("db.example", uint16(5353))
	f.Fuzz(func(t *testing.T, name string, port uint16) {
		d, err := dnsplan.ParseDomain(name)
		if err != nil {
			return
		}
		p := referencePlan()
		p.Rules[0].Domain = d
		p.Rules[0].Targets[0].Port = port
		p.OnPrem.ForwardToAWS = []dnsplan.Domain{d}
		if p.Validate() != nil {
			for _, render := range []func(dnsplan.Plan) ([]byte, error){dnsplan.RenderBINDZones, dnsplan.RenderUnbound, dnsplan.RenderDnsmasq, dnsplan.RenderResolved, dnsplan.RenderCorefile, dnsplan.AWSScript} {
				if out, err := render(p); err == nil || out != nil {
					t.Fatalf("an invalid plan rendered")
				}
			}
			return
		}
		for _, render := range []func(dnsplan.Plan) ([]byte, error){dnsplan.RenderBINDZones, dnsplan.RenderUnbound, dnsplan.RenderDnsmasq, dnsplan.RenderResolved, dnsplan.AWSScript} {
			if _, err := render(p); err != nil {
				t.Fatalf("valid plan: %v", err)
			}
		}
		cf, err := dnsplan.RenderCorefile(p)
		if err != nil {
			// The only Corefile refusal left is a name CoreDNS would refuse.
			return
		}
		parsed, err := dnsplan.ParseCorefile(cf)
		if err != nil {
			t.Fatalf("rendered Corefile does not parse: %v\n%s", err, cf)
		}
		blocks, err := dnsplan.StubServerBlocks(p)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(parsed.Blocks[1:], blocks) {
			t.Fatalf("Parse(Render) = %+v, want %+v", parsed.Blocks[1:], blocks)
		}
	})
}

// FuzzParseCorefile: ParseCorefile agrees with CoreDNS's own parser on
// any input (agreeWithCaddy), Check never panics, and what Bytes writes
// parses back to the same blocks.
func FuzzParseCorefile(f *testing.F) {
	for _, s := range corefileSeeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		agreeWithCaddy(t, data)
		cf, err := dnsplan.ParseCorefile(data)
		if err != nil {
			return
		}
		_ = cf.Check()
		out, err := cf.Bytes()
		if err != nil {
			return // tokens that need quoting are refused, not written
		}
		again, err := dnsplan.ParseCorefile(out)
		if err != nil {
			t.Fatalf("re-parse of %q: %v", out, err)
		}
		if !reflect.DeepEqual(normalise(again), normalise(cf)) {
			t.Fatalf("round trip changed\n%+v\n%+v", cf, again)
		}
	})
}

// normalise maps nil and empty directive lists together (a block with no
// directives is written as "{ }" either way), forgets the lines
// directives were read from, and the file imports, which Bytes does not
// write.
func normalise(c dnsplan.Corefile) dnsplan.Corefile {
	c.Imports = nil
	var fix func([]dnsplan.Directive) []dnsplan.Directive
	fix = func(ds []dnsplan.Directive) []dnsplan.Directive {
		out := make([]dnsplan.Directive, len(ds))
		for i, d := range ds {
			out[i] = d
			out[i].Line = 0
			if d.Block != nil {
				out[i].Block = fix(d.Block)
			}
		}
		return out
	}
	for i := range c.Blocks {
		c.Blocks[i].Directives = fix(c.Blocks[i].Directives)
	}
	return c
}

// FuzzParsePlan: any bytes give an error or a plan that encodes to JSON
// which parses back to the same plan; the reverse-zone reading of every
// parsed rule domain is a canonical prefix.
func FuzzParsePlan(f *testing.F) {
	f.Add([]byte(`{"region":"ap-northeast-2","vpcId":"vpc-0a1b2c3d","vpcCidrs":["10.0.0.0/16"],"rules":[{"name":"r","domain":"company.local","targets":[{"ip":"192.168.1.53"}]}],"onPrem":{"servers":["192.168.1.53"],"forwardToAws":["x.eks.amazonaws.com"]}}`))
	f.Add([]byte("region: ap-northeast-2\nrules:\n- name: rev\n  domain: 10.in-addr.arpa\n"))
	f.Add([]byte("cluster: {networks: [10.96.0.0/16], domain: cluster.local}\n"))
	f.Add([]byte(`{"rules":[],"vpcCidrs":[],"onPrem":{"forwardToAws":[],"forwardTargets":[]},"cluster":{"networks":[]}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		p, err := dnsplan.ParsePlan(data)
		if err != nil {
			return
		}
		js, err := json.Marshal(p)
		if err != nil {
			t.Fatalf("a parsed plan does not encode: %v", err)
		}
		back, err := dnsplan.ParsePlan(js)
		if err != nil {
			t.Fatalf("%s does not parse back: %v", js, err)
		}
		if !reflect.DeepEqual(back, p) {
			t.Fatalf("round trip changed the plan:\n%+v\n%+v", p, back)
		}
		for _, r := range p.Rules {
			if rz, ok := r.Domain.ReverseZone(); ok && rz.Masked() != rz {
				t.Fatalf("ReverseZone(%s) = %s is not canonical", r.Domain, rz)
			}
		}
	})
}
