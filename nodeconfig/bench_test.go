package nodeconfig_test

import (
	"bytes"
	"testing"

	sigsyaml "sigs.k8s.io/yaml"

	"github.com/hybridkit/hybridkit/nodeconfig"
)

// BenchmarkMarshal renders one validated GPU NodeConfig.
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
// (target < 0.5 s on a 2-core machine): each member validated once, the
// template's containerd drop-in parsed once.
func BenchmarkFleet10000(b *testing.B) {
	tmpl := guideGPUNode(b)
	nodes, err := nodeconfig.NodesNamed("gpu-node-%05d", 1, 10000)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		ys, err := nodeconfig.Fleet{Template: tmpl, Nodes: nodes}.Marshal()
		if err != nil || len(ys) != len(nodes) {
			b.Fatal(err)
		}
	}
}

// BenchmarkMarshalVsSigsYAML runs nodeconfig.Marshal and sigs.k8s.io/yaml's
// Marshal of the same NodeConfig in one run and reports their ratio (the
// target is at most 0.35); the bytes must be identical.
func BenchmarkMarshalVsSigsYAML(b *testing.B) {
	c := guideGPUNode(b)
	ours, err := nodeconfig.Marshal(c)
	if err != nil {
		b.Fatal(err)
	}
	theirs, err := sigsyaml.Marshal(c)
	if err != nil {
		b.Fatal(err)
	}
	if !bytes.Equal(ours, theirs) {
		b.Fatalf("the bytes differ:\n%s\n---\n%s", ours, theirs)
	}
	var nsOurs, nsTheirs float64
	b.Run("hybridkit", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := nodeconfig.Marshal(c); err != nil {
				b.Fatal(err)
			}
		}
		nsOurs = float64(b.Elapsed().Nanoseconds()) / float64(b.N)
	})
	b.Run("sigs.k8s.io-yaml", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := sigsyaml.Marshal(c); err != nil {
				b.Fatal(err)
			}
		}
		nsTheirs = float64(b.Elapsed().Nanoseconds()) / float64(b.N)
	})
	b.Run("ratio", func(b *testing.B) {
		for b.Loop() {
		}
		b.ReportMetric(nsOurs/nsTheirs, "hybridkit/sigs")
	})
}
