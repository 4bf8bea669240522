package imageref_test

import (
	"strings"
	"testing"

	"github.com/hybridkit/hybridkit/internal/imageref"
)

func TestParse(t *testing.T) {
	tests := []struct {
		in                         string
		registry, repo, tag, digst string
		wantErr                    bool
	}{
		{in: "nvcr.io/nvidia/k8s-device-plugin:v0.20.0", registry: "nvcr.io", repo: "nvidia/k8s-device-plugin", tag: "v0.20.0"},
		{in: "602401143452.dkr.ecr.ap-northeast-2.amazonaws.com/eks/pause:3.8", registry: "602401143452.dkr.ecr.ap-northeast-2.amazonaws.com", repo: "eks/pause", tag: "3.8"},
		{in: "nginx", repo: "nginx"},
		{in: "library/nginx:1.27", repo: "library/nginx", tag: "1.27"},
		{in: "localhost:5000/a/b:c", registry: "localhost:5000", repo: "a/b", tag: "c"},
		{in: "registry.k8s.io/pause@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef", registry: "registry.k8s.io", repo: "pause", digst: "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"},
		{in: "", wantErr: true},
		{in: "Nginx", wantErr: true},
		{in: "a b", wantErr: true},
		{in: `x"y`, wantErr: true},
		{in: "x:tag with space", wantErr: true},
		{in: "x\n:1", wantErr: true},
		{in: "reg.io/", wantErr: true},
		{in: "x@sha256:short", wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			r, err := imageref.Parse(tt.in)
			if (err != nil) != tt.wantErr {
				t.Fatalf("Parse(%q) error = %v, wantErr %v", tt.in, err, tt.wantErr)
			}
			if tt.wantErr {
				return
			}
			if r.Registry != tt.registry || r.Repository != tt.repo || r.Tag != tt.tag || r.Digest != tt.digst {
				t.Errorf("Parse(%q) = %+v", tt.in, r)
			}
			if r.String() != tt.in {
				t.Errorf("String() = %q, want %q", r.String(), tt.in)
			}
		})
	}
}

func TestVersions(t *testing.T) {
	tests := []struct {
		a, b string
		want int
	}{
		{"v0.14.5", "v0.20.0", -1},
		{"3.8", "3.8.0", 0},
		{"3.10", "3.9", 1},
		{"v1.28.0-eksbuild.1", "1.28", 0},
	}
	for _, tt := range tests {
		a, ok1 := imageref.ParseVersion(tt.a)
		b, ok2 := imageref.ParseVersion(tt.b)
		if !ok1 || !ok2 {
			t.Fatalf("ParseVersion(%q/%q) failed", tt.a, tt.b)
		}
		if got := imageref.CompareVersions(a, b); got != tt.want {
			t.Errorf("CompareVersions(%s, %s) = %d, want %d", tt.a, tt.b, got, tt.want)
		}
	}
	if v, ok := imageref.ParseVersion("580.159.04"); !ok || v[2] != 4 {
		t.Errorf("ParseVersion(580.159.04) = %v, %v", v, ok)
	}
	for _, bad := range []string{"latest", "", "1..2", "1.-2", "1.+2"} {
		if _, ok := imageref.ParseVersion(bad); ok {
			t.Errorf("ParseVersion(%q) ok", bad)
		}
	}
}

// FuzzParse: a parsed reference writes back, through String, as text that
// parses to the same reference; its tag reads as a version or not at all,
// without panicking.
func FuzzParse(f *testing.F) {
	for _, s := range []string{
		"nvcr.io/nvidia/k8s-device-plugin:v0.20.0",
		"602401143452.dkr.ecr.ap-northeast-2.amazonaws.com/eks/pause:3.8",
		"localhost:5000/a/b@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
		"nginx", "Nginx", "a//b", "host:port/x:y:z", "x:" + strings.Repeat("1", 200),
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		r, err := imageref.Parse(s)
		if err != nil {
			return
		}
		back, err := imageref.Parse(r.String())
		if err != nil || back != r {
			t.Fatalf("%q parses to %+v, which writes %q and parses to %+v (%v)", s, r, r.String(), back, err)
		}
		_, _ = r.Version()
	})
}
