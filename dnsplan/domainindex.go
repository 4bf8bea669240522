package dnsplan

import "strings"

// domainIndex answers, for a list of domains, which of them overlap a
// given name — without comparing the name with each. A name overlaps a
// listed domain when it lies within it (one of the name's suffixes is
// listed) or the domain lies within the name (the name is a suffix of a
// listed domain), so the index keeps each listed domain, and each suffix
// of one, with the first position it comes from: a lookup walks the
// name's labels once. Plans with thousands of rules and forwarded names
// stay linear.
type domainIndex struct {
	exact map[string]int // a listed domain → its first position
	under map[string]int // a suffix of a listed domain → the first position
}

func newDomainIndex(ds []Domain) domainIndex {
	x := domainIndex{exact: make(map[string]int, len(ds)), under: make(map[string]int, 2*len(ds))}
	for i, d := range ds {
		if d.name == "" {
			continue
		}
		if _, seen := x.exact[d.name]; !seen {
			x.exact[d.name] = i
		}
		for s := d.name; ; {
			if _, seen := x.under[s]; !seen {
				x.under[s] = i
			}
			dot := strings.IndexByte(s, '.')
			if dot < 0 {
				break
			}
			s = s[dot+1:]
		}
	}
	return x
}

// overlapping returns the first position of a listed domain that d lies
// within or that lies within d, and false when there is none.
func (x domainIndex) overlapping(d Domain) (int, bool) {
	best, found := x.under[d.name] // a listed domain at or below d
	if d.name == "" {
		return 0, false
	}
	for s := d.name; ; {
		if i, ok := x.exact[s]; ok && (!found || i < best) {
			best, found = i, true
		}
		dot := strings.IndexByte(s, '.')
		if dot < 0 {
			break
		}
		s = s[dot+1:]
	}
	return best, found
}

// within reports whether a listed domain strictly contains d.
func (x domainIndex) within(d Domain) bool {
	for s := d.name; ; {
		dot := strings.IndexByte(s, '.')
		if dot < 0 {
			return false
		}
		s = s[dot+1:]
		if _, ok := x.exact[s]; ok {
			return true
		}
	}
}
