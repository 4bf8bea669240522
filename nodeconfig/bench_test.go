package nodeconfig_test

import (
	"testing"

	"github.com/hybridkit/hybridkit/nodeconfig"
)

// BenchmarkMarshal renders one validated GPU NodeConfig (target < 50 µs).
func BenchmarkMarshal(b *testing.B) {
	c := guideGPUNode(b)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := nodeconfig.Marshal(c); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkFleet10000 builds, validates and renders a 10,000-node fleet
// (target < 1 s on a 2-core machine).
func BenchmarkFleet10000(b *testing.B) {
	tmpl := guideGPUNode(b)
	nodes, err := nodeconfig.NodesNamed("gpu-node-%05d", 1, 10000)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		cfgs, err := nodeconfig.Fleet{Template: tmpl, Nodes: nodes}.Build()
		if err != nil {
			b.Fatal(err)
		}
		for _, c := range cfgs {
			if _, err := nodeconfig.Marshal(c); err != nil {
				b.Fatal(err)
			}
		}
	}
}
