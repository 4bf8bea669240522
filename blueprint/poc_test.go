package blueprint_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hybridkit/hybridkit/blueprint"
	"github.com/hybridkit/hybridkit/internal/shellscript"
	"github.com/hybridkit/hybridkit/internal/testkit"
	"github.com/hybridkit/hybridkit/netpath"
	"github.com/hybridkit/hybridkit/poc"
)

func TestPoCPlan(t *testing.T) {
	p, err := blueprint.Reference().PoCPlan()
	if err != nil {
		t.Fatal(err)
	}
	want := poc.Plan{HybridNodes: 10, GPUsPerNode: 8, GPUModel: "NVIDIA H100 80GB HBM3", Thresholds: netpath.LinkThresholds(10_000_000_000),
		NodePayload: 8472, PodPayload: 8422, StorageBytes: 1 << 30, DNSZone: "company.local"}
	if p != want {
		t.Errorf("PoCPlan = %+v\nwant %+v", p, want)
	}
	b := blueprint.Reference()
	b.NodePools[0].Count = 0
	if _, err := b.PoCPlan(); err == nil || !strings.Contains(err.Error(), "nodePools[0].count") {
		t.Errorf("invalid blueprint: %v", err)
	}
	// Shared GPUs multiply what each node advertises; an export only
	// hybrid nodes mount leaves the storage item out.
	b = blueprint.Reference()
	b.GPUSharing = &blueprint.GPUSharing{Strategy: "time-slicing", Replicas: 4}
	b.Storage[0].Placement = "hybrid-only"
	p, err = b.PoCPlan()
	if err != nil || p.GPUsPerNode != 32 || p.StorageBytes != 0 {
		t.Errorf("shared GPUs, hybrid-only storage: %+v %v", p, err)
	}
}

// TestPoCScriptFeedsTheGrader runs the rendered verify/poc.sh with a
// kubectl stand-in that answers each check with the recorded output of
// package poc's passing results: the folder the script writes is the one
// poc.Grade reads, and the reference's plan passes it. A stand-in whose
// link ping fails leaves the script running to the end, and the report
// fails the link.
func TestPoCScriptFeedsTheGrader(t *testing.T) {
	bash := testkit.Tool(t, "bash", "bash")
	bundle, _, err := blueprint.Render(blueprint.Reference())
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	for _, name := range []string{"verify/poc.sh", "verify/poc-gpu-pod.yaml", "verify/poc-storage-pod.yaml"} {
		f, ok := bundle.File(name)
		if !ok {
			t.Fatalf("the bundle has no %s", name)
		}
		testkit.WriteFileIn(t, filepath.Join(dir, filepath.Dir(name)), filepath.Base(name), f.Content)
	}
	recorded, err := filepath.Abs(filepath.Join("..", "poc", "testdata", "pass"))
	if err != nil {
		t.Fatal(err)
	}
	plan, err := blueprint.Reference().PoCPlan()
	if err != nil {
		t.Fatal(err)
	}
	// The recorded nvidia-smi output is an H200's; the reference plans
	// the guide's H100s.
	plan.GPUModel = "NVIDIA H200"
	for _, tc := range []struct {
		name     string
		pingFail bool
	}{{"recorded pass", false}, {"ping fails", true}} {
		t.Run(tc.name, func(t *testing.T) {
			bin := t.TempDir()
			answer := func(file string) string {
				return "cat " + shellscript.Quote(filepath.Join(recorded, file)) + "; exit \"$(cat " + shellscript.Quote(filepath.Join(recorded, file+poc.ExitSuffix)) + ")\""
			}
			ping := answer(poc.FileLinkPing)
			if tc.pingFail {
				ping = "echo 'ping: connect: Network is unreachable' >&2; exit 2"
			}
			stub := "#!/usr/bin/env bash\n" +
				"[ -f " + shellscript.Quote(filepath.Join(dir, "verify", "poc-gpu-pod.yaml")) + " ] || exit 70\n" +
				"case \"$*\" in\n" +
				"  'get nodes '*) " + answer(poc.FileNodes) + " ;;\n" +
				"  'logs pod/hybridkit-poc-gpu') " + answer(poc.FileGPUPod) + " ;;\n" +
				"  *'logs pod/hybridkit-poc-storage') " + answer(poc.FileStorage) + " ;;\n" +
				"  'get pod hybridkit-poc-node '*) echo 192.168.10.11 ;;\n" +
				"  'get pod hybridkit-poc-pod '*) echo 10.244.1.7 ;;\n" +
				"  'run hybridkit-poc-ping '*) " + ping + " ;;\n" +
				"  'run hybridkit-poc-iperf3 '*) " + answer(poc.FileLinkIperf3) + " ;;\n" +
				"  'run hybridkit-poc-df-node '*) " + answer(poc.FileNodePayload) + " ;;\n" +
				"  'run hybridkit-poc-df-pod '*) " + answer(poc.FilePodPayload) + " ;;\n" +
				"  'run hybridkit-poc-reach '*) " + answer(poc.FileCloudPodToHybridPod) + " ;;\n" +
				"  'run hybridkit-poc-to-vpc '*) " + answer(poc.FileHybridPodToVPC) + " ;;\n" +
				"  'run hybridkit-poc-dns-hybrid '*) " + answer(poc.FileDNSFromHybrid) + " ;;\n" +
				"  'run hybridkit-poc-dns-cloud '*) " + answer(poc.FileDNSFromCloud) + " ;;\n" +
				"  'apply -f '*|'wait '*|*' wait '*|'run hybridkit-poc-node '*|'run hybridkit-poc-pod '*|'delete '*|*' delete '*) ;;\n" +
				"  *) echo \"kubectl stand-in: unexpected: $*\" >&2; exit 64 ;;\n" +
				"esac\n"
			if err := os.WriteFile(filepath.Join(bin, "kubectl"), []byte(stub), 0o755); err != nil {
				t.Fatal(err)
			}
			out := filepath.Join(t.TempDir(), "results")
			cmd := exec.Command(bash, filepath.Join(dir, "verify", "poc.sh"), "-o", out)
			cmd.Dir = t.TempDir() // the script finds its pods next to itself
			cmd.Env = append(os.Environ(), "PATH="+bin+":"+os.Getenv("PATH"))
			if b, err := cmd.CombinedOutput(); err != nil {
				t.Fatalf("poc.sh: %v\n%s", err, b)
			}
			entries, err := os.ReadDir(out)
			if err != nil {
				t.Fatal(err)
			}
			results := map[string][]byte{}
			for _, e := range entries {
				b, err := os.ReadFile(filepath.Join(out, e.Name()))
				if err != nil {
					t.Fatal(err)
				}
				results[e.Name()] = b
			}
			r := poc.Grade(plan, results)
			if r.Pass == tc.pingFail {
				t.Errorf("report pass = %v:\n%s", r.Pass, r.Markdown())
			}
			for _, it := range r.Items {
				if it.Pass != (it.ID != "link" || !tc.pingFail) {
					t.Errorf("item %s pass = %v", it.ID, it.Pass)
				}
			}
		})
	}
}
