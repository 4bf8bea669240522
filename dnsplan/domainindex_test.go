package dnsplan

import (
	"math/rand/v2"
	"strings"
	"testing"
)

// TestDomainIndexAgreesWithPairwise checks the index against comparing a
// name with every listed domain, on random names over a few labels.
func TestDomainIndexAgreesWithPairwise(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	labels := []string{"a", "b", "c", "corp", "internal", "local"}
	name := func() Domain {
		parts := make([]string, 1+r.IntN(4))
		for i := range parts {
			parts[i] = labels[r.IntN(len(labels))]
		}
		return MustParseDomain(strings.Join(parts, "."))
	}
	for range 2000 {
		var list []Domain
		for range r.IntN(6) {
			list = append(list, name())
		}
		x := newDomainIndex(list)
		d := name()
		want, wantOK := -1, false
		within := false
		for i, l := range list {
			if l.Overlaps(d) && !wantOK {
				want, wantOK = i, true
			}
			if d.Within(l) && d != l {
				within = true
			}
		}
		if got, ok := x.overlapping(d); ok != wantOK || ok && got != want {
			t.Fatalf("overlapping(%s) in %v = %d, %v; want %d, %v", d, list, got, ok, want, wantOK)
		}
		if got := x.within(d); got != within {
			t.Fatalf("within(%s) in %v = %v, want %v", d, list, got, within)
		}
	}
}
