package inspect_test

import (
	"fmt"
	"net/netip"

	"github.com/hybridkit/hybridkit/inspect"
)

// ExampleFile inspects an Unbound forwarder written by hand: it forwards
// all of amazonaws.com to the Resolver's inbound endpoint, and falls back
// to the public resolution of the cluster's names when the endpoint does
// not answer.
func ExampleFile() {
	conf := []byte(`server:
  interface: 0.0.0.0
forward-zone:
  name: "amazonaws.com"
  forward-first: yes
  forward-addr: 10.0.1.53
  forward-addr: 10.0.2.53
`)
	kind, findings, err := inspect.File("unbound.conf", conf)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(kind, len(findings))
	for _, f := range findings {
		fmt.Printf("line %d: %s %s at %s\n", f.Line, f.Level, f.Code, f.Field)
	}
	// Output:
	// unbound-conf 2
	// line 5: warning dnsplan/forward-first at forward-zone[0].forward-first
	// line 4: info dnsplan/broad-forward at forward-zone[0].name
}

// ExampleFiles inspects Resolver rules from the AWS CLI against the
// planned VPC: the rule for the site's names is not associated with it.
func ExampleFiles() {
	rules := []byte(`{"ResolverRules": [{
  "Id": "rslvr-rr-0123456789abcdef0",
  "DomainName": "corp.internal.",
  "RuleType": "FORWARD",
  "TargetIps": [{"Ip": "192.168.10.53", "Port": 53}]
}]}`)
	assocs := []byte(`{"ResolverRuleAssociations": []}`)
	ctx := inspect.Context{VPCID: "vpc-0123456789abcdef0", VPCCIDRs: []netip.Prefix{netip.MustParsePrefix("10.0.0.0/16")}}
	results, err := inspect.Files(ctx,
		inspect.Input{Name: "list-resolver-rules.json", Data: rules},
		inspect.Input{Name: "list-resolver-rule-associations.json", Data: assocs})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, r := range results {
		for _, f := range r.Findings {
			fmt.Printf("%s:%d %s %s\n", r.Name, f.Line, f.Level, f.Code)
		}
	}
	// Output:
	// list-resolver-rules.json:2 error dnsplan/rule-not-associated
}
