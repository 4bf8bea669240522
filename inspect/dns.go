package inspect

import (
	"cmp"
	"strconv"
	"strings"

	"github.com/hybridkit/hybridkit/advice"
	"github.com/hybridkit/hybridkit/dnsplan"
)

func (d *document) checkCorefile() {
	d.lines = lineIndex{}
	d.checkCorefileText(d.data, "", 0)
}

func (d *document) checkBIND() {
	sts, err := parseBIND(d.data)
	if err != nil {
		d.parseError(err, refBIND)
		return
	}
	zs := bindZones(sts)
	d.parsed = zs
	d.checkForwardZones(zs)
}

func (d *document) checkUnbound() {
	cs, err := parseUnbound(d.data)
	if err != nil {
		d.parseError(err, refUnbound)
		return
	}
	zs := unboundZones(cs)
	d.parsed = zs
	d.checkForwardZones(zs)
}

func (d *document) checkDnsmasq() {
	ss, err := parseDnsmasq(d.data)
	if err != nil {
		d.parseError(err, refDnsmasq)
		return
	}
	zs := dnsmasqZones(ss)
	d.parsed = zs
	d.checkForwardZones(zs)
}

// checkForwardZones runs dnsplan's checks of the site's forwarding on
// each forwarded zone, as if the plan forwarded it to AWS: its policy
// (first leaks private names), a .local name, a forward of all of
// eks.amazonaws.com, DNSSEC validation without an exception, and targets
// that are the VPC resolver (which answers only inside the VPC).
func (d *document) checkForwardZones(zs []forwardZone) {
	for _, z := range zs {
		p := dnsplan.Plan{Region: d.ctx.Region, VPCID: d.ctx.VPCID, VPCCIDRs: d.ctx.VPCCIDRs,
			OnPrem: dnsplan.OnPrem{Policy: z.policy, DNSSECValidation: z.validated}}
		for _, t := range z.targets {
			p.OnPrem.ForwardTargets = append(p.OnPrem.ForwardTargets, t.addr)
		}
		if z.domain != "." {
			dom, err := dnsplan.ParseDomain(z.domain)
			if err != nil {
				f := findingAt(advice.Error, CodeInvalid, z.at, refBIND, "%s is not a domain name: %v", printableLine(z.domain), err)
				f.Line = z.line
				d.add(f)
				continue
			}
			p.OnPrem.ForwardToAWS = []dnsplan.Domain{dom}
		}
		for _, e := range p.ValidateAt(nil) {
			f := advice.Finding{Level: advice.Error, Code: CodeInvalid, Message: e.ErrorBody(), Ref: "https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/resolver-forwarding-inbound-queries.html"}
			switch {
			case strings.HasPrefix(e.Field, "onPrem.forwardTargets["):
				i, err := strconv.Atoi(strings.TrimSuffix(strings.TrimPrefix(e.Field, "onPrem.forwardTargets["), "]"))
				if err != nil || i >= len(z.targets) {
					continue
				}
				f.Field, f.Line = z.targets[i].at.String(), z.targets[i].line
			case e.Field == "onPrem.policy":
				f.Field, f.Line = z.policyAt.String(), cmp.Or(z.policyLine, z.line)
			default:
				continue // the parts of a plan a resolver's config does not hold
			}
			d.add(f)
		}
		for _, f := range p.Lint() {
			switch f.Field {
			case "onPrem.forwardToAws[0]", "onPrem.dnssecValidation":
				f.Field, f.Line = z.at.String(), z.line
			case "onPrem.policy":
				f.Field, f.Line = z.policyAt.String(), cmp.Or(z.policyLine, z.line)
			default:
				continue
			}
			d.add(f)
		}
	}
}
