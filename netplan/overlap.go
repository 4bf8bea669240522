package netplan

import (
	"cmp"
	"net/netip"
	"slices"
)

// Pair names two overlapping inputs by their indexes, I < J.
type Pair struct{ I, J int }

// OverlappingPairs returns every pair of prefixes that share an address,
// sorted by I then J. Invalid prefixes are ignored; IPv4 and IPv6 never
// overlap.
//
// CIDR prefixes are either disjoint or nested, so a sort by start address
// (shorter prefix first) followed by one sweep with a stack of enclosing
// prefixes finds every pair: O(n log n + k) for n prefixes and k pairs,
// where a pairwise check is O(n²).
func OverlappingPairs(ps []netip.Prefix) []Pair {
	type entry struct {
		p netip.Prefix // masked
		i int
	}
	es := make([]entry, 0, len(ps))
	for i, p := range ps {
		if p.IsValid() {
			es = append(es, entry{p.Masked(), i})
		}
	}
	slices.SortFunc(es, func(a, b entry) int {
		return cmp.Or(a.p.Addr().Compare(b.p.Addr()), cmp.Compare(a.p.Bits(), b.p.Bits()), cmp.Compare(a.i, b.i))
	})
	var out []Pair
	stack := make([]entry, 0, 32)
	for _, e := range es {
		p, i := e.p, e.i
		for len(stack) > 0 {
			top := stack[len(stack)-1].p
			if top.Bits() <= p.Bits() && top.Contains(p.Addr()) {
				break
			}
			stack = stack[:len(stack)-1]
		}
		for _, s := range stack {
			out = append(out, Pair{I: min(s.i, i), J: max(s.i, i)})
		}
		stack = append(stack, e)
	}
	slices.SortFunc(out, func(a, b Pair) int { return cmp.Or(cmp.Compare(a.I, b.I), cmp.Compare(a.J, b.J)) })
	return out
}
