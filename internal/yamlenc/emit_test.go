package yamlenc

import (
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	yaml "go.yaml.in/yaml/v2"
)

// pieces are the parts random strings are built from: the characters and
// words the emitter treats specially, and ordinary ones.
var pieces = []string{"a", "b", "Z", "gpu", "node", "0", "1", "01", "10", "9", "-", "_", "/", ".", ":", " ", "\n", "#", ",", "[", "{", "'", "\"",
	"yes", "no", "on", "Off", "true", "null", "~", "1e3", "0x1f", "-x", "- ", "? ", "é", "\t", "\r", "\u0085", "---", "...", "<<",
	"0b101", "+.inf", "1_0", "1:20", "2026-", "e5", "E", "'", "30s", "6b7c2f1e", "\\",
	"nvidia.com/gpu", "io.containerd.runc.v2", "[plugins.\"io.containerd.grpc.v1.cri\"]", "= true", strings.Repeat("long words ", 10)}

func randomString(r *rand.Rand) string {
	var b strings.Builder
	for range r.IntN(6) {
		b.WriteString(pieces[r.IntN(len(pieces))])
	}
	return b.String()
}

func randomTree(r *rand.Rand, depth int) any {
	switch k := r.IntN(10); {
	case depth > 3 || k < 4:
		switch r.IntN(7) {
		case 0:
			return nil
		case 1:
			return r.IntN(2) == 0
		case 2:
			return int64(r.IntN(2000) - 1000)
		case 3:
			return uint64(math.MaxInt64) + uint64(r.IntN(10))
		case 4:
			return []float64{0.5, -1.25e-7, 1e21, math.Inf(1), math.NaN(), 3}[r.IntN(6)]
		}
		return randomString(r)
	case k < 7:
		m := map[string]any{}
		for range r.IntN(5) {
			key := randomString(r)
			if key == "<<" {
				continue
			}
			m[key] = randomTree(r, depth+1)
		}
		return m
	default:
		var s []any
		for range r.IntN(4) {
			s = append(s, randomTree(r, depth+1))
		}
		if s == nil {
			s = []any{}
		}
		return s
	}
}

// TestFastWriterMatchesTheEmitter writes random trees both ways: whenever
// the fast writer writes one, its bytes are the emitter's.
func TestFastWriterMatchesTheEmitter(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	fast := 0
	const n = 20000
	for range n {
		tree := randomTree(r, 0)
		got, ok := writeFast(tree)
		if !ok {
			continue
		}
		fast++
		want, err := yaml.Marshal(tree)
		if err != nil {
			t.Fatalf("the emitter failed on %#v: %v", tree, err)
		}
		if string(got) != string(want) {
			t.Fatalf("%#v\n got:\n%s\nwant:\n%s", tree, got, want)
		}
	}
	// The test means something only if the fast writer takes many trees.
	if fast < n/10 {
		t.Errorf("the fast writer took %d of %d trees", fast, n)
	}
	t.Logf("fast writer: %d of %d trees", fast, n)
}

// FuzzFastWriter builds a tree from the fuzzer's bytes and holds the fast
// writer to the emitter's output.
func FuzzFastWriter(f *testing.F) {
	f.Add(uint64(1), uint64(2))
	f.Add(uint64(42), uint64(7))
	f.Fuzz(func(t *testing.T, a, b uint64) {
		tree := randomTree(rand.New(rand.NewPCG(a, b)), 0)
		got, ok := writeFast(tree)
		if !ok {
			return
		}
		want, err := yaml.Marshal(tree)
		if err != nil || string(got) != string(want) {
			t.Fatalf("%#v\n got:\n%s\nwant:\n%s (%v)", tree, got, want, err)
		}
	})
}

// TestKeyOrder pins the emitter's natural order of keys.
func TestKeyOrder(t *testing.T) {
	for _, tc := range [][2]string{{"a", "b"}, {"a2", "a10"}, {"a", "a0"}, {"A", "a"}, {"a1", "a01"}, {"x", "_x"}, {"a-b", "ab"}} {
		m := map[string]any{tc[0]: 1, tc[1]: 2}
		got, ok := writeFast(m)
		want, _ := yaml.Marshal(m)
		if ok && string(got) != string(want) {
			t.Errorf("%q, %q:\n%s\nwant\n%s", tc[0], tc[1], got, want)
		}
	}
}
