package blueprint_test

import (
	"fmt"
	"net/netip"
	"testing"

	"github.com/hybridkit/hybridkit/blueprint"
)

// fleet is the reference blueprint with n GPU nodes and IAM Roles
// Anywhere credentials (an SSM activation registers at most 1,000), in a
// remote node network and pod network large enough for them.
func fleet(n int) blueprint.Blueprint {
	b := blueprint.Reference()
	rolesAnywhere(&b)
	b.Site.RemoteNodeNetwork = netip.MustParsePrefix("192.168.64.0/18")
	b.Site.RemotePodNetwork = netip.MustParsePrefix("10.128.0.0/9")
	b.NodePools[0].Count = n
	b.NodePools[0].HostnamePattern = "gpu-node-%05d"
	b.NodePools[0].FirstAddress = netip.MustParseAddr("192.168.64.10")
	return b
}

// BenchmarkRenderFleet renders whole bundles of 100, 1,000 and 10,000
// nodes: ns/node and B/node must stay flat as the fleet grows (the target
// is under 1 s and 250 MiB for 10,000 nodes).
func BenchmarkRenderFleet(b *testing.B) {
	for _, n := range []int{100, 1000, 10000} {
		bp := fleet(n)
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, _, err := blueprint.Render(bp); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(n), "ns/node")
		})
	}
}

// TestRenderAllocationBound holds Render to allocating at most ten times
// the bytes of the bundle it returns (issue: a hostile or large blueprint
// must not make rendering balloon); allocation, unlike time, is the same
// on every machine.
func TestRenderAllocationBound(t *testing.T) {
	if testing.Short() {
		t.Skip("measures allocation over many renders")
	}
	if raceEnabled {
		t.Skip("the race detector's shadow memory inflates every allocation; the bound is checked without -race")
	}
	for _, n := range []int{10, 1000} {
		bp := fleet(n)
		bundle, _, err := blueprint.Render(bp)
		if err != nil {
			t.Fatal(err)
		}
		size := 0
		for _, f := range bundle.Files() {
			size += len(f.Content)
		}
		r := testing.Benchmark(func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, _, err := blueprint.Render(bp); err != nil {
					b.Fatal(err)
				}
			}
		})
		t.Logf("%d nodes: %d bytes allocated for a %d-byte bundle (%.1fx)", n, r.AllocedBytesPerOp(), size, float64(r.AllocedBytesPerOp())/float64(size))
		if got := r.AllocedBytesPerOp(); got > int64(10*size) {
			t.Errorf("%d nodes: Render allocates %d bytes for a %d-byte bundle, more than ten times", n, got, size)
		}
	}
}
