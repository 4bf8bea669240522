package dnsplan_test

import (
	"fmt"
	"testing"

	"github.com/hybridkit/hybridkit/dnsplan"
)

// scaledPlan is the reference plan with n on-premises zones forwarded to
// the site and n names forwarded to AWS.
func scaledPlan(n int) dnsplan.Plan {
	p := referencePlan()
	rule := p.Rules[0]
	p.Rules = nil
	p.OnPrem.ForwardToAWS = nil
	for i := range n {
		r := rule
		r.Name = fmt.Sprintf("zone-%d", i)
		r.Domain = dom(fmt.Sprintf("z%d.corp.internal", i))
		p.Rules = append(p.Rules, r)
		p.OnPrem.ForwardToAWS = append(p.OnPrem.ForwardToAWS, dom(fmt.Sprintf("svc%d.aws.internal", i)))
	}
	return p
}

// BenchmarkValidateScaled validates and lints plans of 1,000, 2,000 and
// 4,000 rules and forwarded names: ns/rule stays flat when the cost is
// linear (the target is under 20 ms at 4,000).
func BenchmarkValidateScaled(b *testing.B) {
	for _, n := range []int{1000, 2000, 4000} {
		p := scaledPlan(n)
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if err := p.Validate(); err != nil {
					b.Fatal(err)
				}
				_ = p.Lint()
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(n), "ns/rule")
		})
	}
}
