package netplan

import (
	"cmp"
	"container/heap"
	"errors"
	"fmt"
	"net/netip"
	"slices"

	"go4.org/netipx"
	"k8s.io/apimachinery/pkg/util/validation/field"

	ivalidation "github.com/hybridkit/hybridkit/internal/validation"
)

// ErrExhausted is matched (errors.Is) by every *ExhaustedError: the pool
// has no aligned block left for a request.
var ErrExhausted = errors.New("netplan: address space exhausted")

// ExhaustedError says which request did not fit.
type ExhaustedError struct {
	// Request is the first request, in allocation order, that did not fit.
	Request Request
	// Pool is the prefix allocated from.
	Pool netip.Prefix
	// Free is how many addresses were still free (in smaller pieces).
	Free uint64
}

// Error describes the request and what was left.
func (e *ExhaustedError) Error() string {
	return fmt.Sprintf("netplan: no free /%d left in %s for %q (%d addresses free, none in an aligned /%d)", e.Request.Bits, e.Pool, e.Request.Name, e.Free, e.Request.Bits)
}

// Is reports whether target is the ErrExhausted sentinel.
func (e *ExhaustedError) Is(target error) bool { return target == ErrExhausted }

// Request asks for one named prefix of a given length.
type Request struct {
	Name string `json:"name"`
	Bits int    `json:"bits"`
}

// Allocation is a granted request.
type Allocation struct {
	Name   string       `json:"name"`
	Prefix netip.Prefix `json:"prefix"`
}

// Allocate carves the requested prefixes out of pool around the used
// (pinned) ranges. It places the largest requests first, each in the
// smallest free aligned block that holds it (lowest address among equals),
// splitting blocks in halves — so mixed sizes leave no gaps, unlike
// Terraform's cidrsubnets, which allocates in argument order. Equal
// inputs give equal outputs. The result is in the order of reqs.
//
// Invalid input (a pool that is not a canonical IPv4 prefix, a request
// larger than the pool or longer than /32, duplicate or empty names) is
// an error with field paths; running out of space is an *ExhaustedError
// (errors.Is(err, ErrExhausted)). Used ranges outside the pool are
// ignored.
func Allocate(pool netip.Prefix, used []netip.Prefix, reqs []Request) ([]Allocation, error) {
	var errs field.ErrorList
	errs = append(errs, ValidatePrefix(field.NewPath("pool"), pool)...)
	seen := map[string]bool{}
	for i, r := range reqs {
		p := field.NewPath("requests").Index(i)
		switch {
		case r.Name == "":
			errs = append(errs, field.Required(p.Child("name"), ""))
		case seen[r.Name]:
			errs = append(errs, field.Duplicate(p.Child("name"), r.Name))
		}
		seen[r.Name] = true
		if pool.IsValid() && (r.Bits < pool.Bits() || r.Bits > 32) {
			errs = append(errs, field.Invalid(p.Child("bits"), r.Bits, fmt.Sprintf("must be between /%d (the pool) and /32", pool.Bits())))
		}
	}
	for i, u := range used {
		if !u.IsValid() || !u.Addr().Is4() {
			errs = append(errs, field.Invalid(field.NewPath("used").Index(i), u.String(), "must be an IPv4 prefix"))
		}
	}
	if len(errs) > 0 {
		return nil, ivalidation.ToError("netplan", errs)
	}
	fl := newFreeList(pool, used)
	order := make([]int, len(reqs))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int {
		return cmp.Or(cmp.Compare(reqs[a].Bits, reqs[b].Bits), cmp.Compare(reqs[a].Name, reqs[b].Name))
	})
	out := make([]Allocation, len(reqs))
	for _, i := range order {
		p, ok := fl.take(reqs[i].Bits)
		if !ok {
			return nil, &ExhaustedError{Request: reqs[i], Pool: pool, Free: fl.free()}
		}
		out[i] = Allocation{Name: reqs[i].Name, Prefix: p}
	}
	return out, nil
}

// NextFree returns the lowest free aligned /bits in pool that overlaps
// none of used, choosing the smallest free block that holds it. ok is
// false when none is left or the input is not IPv4.
func NextFree(pool netip.Prefix, used []netip.Prefix, bits int) (p netip.Prefix, ok bool) {
	if !pool.IsValid() || !pool.Addr().Is4() || bits < pool.Bits() || bits > 32 {
		return netip.Prefix{}, false
	}
	return newFreeList(pool.Masked(), used).take(bits)
}

// freeList keeps the free space of an IPv4 pool as aligned blocks, one
// min-heap of start addresses per prefix length.
type freeList struct {
	buckets [33]uint32Heap
	minBits int
}

func newFreeList(pool netip.Prefix, used []netip.Prefix) *freeList {
	var b netipx.IPSetBuilder
	b.AddPrefix(pool)
	for _, u := range used {
		b.RemovePrefix(u)
	}
	set, _ := b.IPSet() // only valid IPv4 prefixes reach here
	fl := &freeList{minBits: pool.Bits()}
	for _, p := range set.Prefixes() {
		fl.buckets[p.Bits()] = append(fl.buckets[p.Bits()], v4(p.Addr()))
	}
	for i := range fl.buckets {
		heap.Init(&fl.buckets[i])
	}
	return fl
}

// take removes and returns the lowest-addressed /bits from the smallest
// free block that can hold it, splitting that block's remainder back into
// the free list.
func (fl *freeList) take(bits int) (netip.Prefix, bool) {
	for b := bits; b >= fl.minBits; b-- {
		if fl.buckets[b].Len() == 0 {
			continue
		}
		start := heap.Pop(&fl.buckets[b]).(uint32)
		// Split [start, /b) down to /bits, returning each upper half.
		for k := b + 1; k <= bits; k++ {
			heap.Push(&fl.buckets[k], start+uint32(1)<<(32-k))
		}
		return netip.PrefixFrom(fromV4(start), bits), true
	}
	return netip.Prefix{}, false
}

func (fl *freeList) free() uint64 {
	var n uint64
	for b := range fl.buckets {
		n += uint64(fl.buckets[b].Len()) << (32 - b)
	}
	return n
}

func v4(a netip.Addr) uint32 {
	b := a.As4()
	return uint32(b[0])<<24 | uint32(b[1])<<16 | uint32(b[2])<<8 | uint32(b[3])
}

func fromV4(u uint32) netip.Addr {
	return netip.AddrFrom4([4]byte{byte(u >> 24), byte(u >> 16), byte(u >> 8), byte(u)})
}

// uint32Heap is a min-heap of block start addresses. Its starts are
// distinct, so "<=" in Less (a mutant scripts/mutation.sh reports) orders
// it the same: an equivalent mutant.
type uint32Heap []uint32

func (h uint32Heap) Len() int           { return len(h) }
func (h uint32Heap) Less(i, j int) bool { return h[i] < h[j] }
func (h uint32Heap) Swap(i, j int)      { h[i], h[j] = h[j], h[i] }
func (h *uint32Heap) Push(x any)        { *h = append(*h, x.(uint32)) }
func (h *uint32Heap) Pop() any {
	old := *h
	x := old[len(old)-1]
	*h = old[:len(old)-1]
	return x
}

// NodesSupported returns how many nodes a pod network serves when each
// node gets a /perNodeBits block: 2^(perNodeBits − bits), or 0 when the
// network is smaller than one block.
func NodesSupported(pod netip.Prefix, perNodeBits int) uint64 {
	if !pod.IsValid() || perNodeBits < pod.Bits() || perNodeBits > 32 {
		return 0
	}
	return 1 << (perNodeBits - pod.Bits())
}

// AddressesPerNode returns the pod addresses in one node's block; the
// kubelet's maxPods (110 by default) caps pods further.
func AddressesPerNode(perNodeBits int) uint64 {
	if perNodeBits < 0 || perNodeBits > 32 {
		return 0
	}
	return 1 << (32 - perNodeBits)
}
