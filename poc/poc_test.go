package poc_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/hybridkit/hybridkit/internal/testkit"
	"github.com/hybridkit/hybridkit/netpath"
	"github.com/hybridkit/hybridkit/poc"
)

// referencePlan is what the reference blueprint's PoC must show
// (blueprint's TestPoCPlan holds PoCPlan to it), with the GPU of the
// recorded nvidia-smi output, an H200, for the reference's H100.
func referencePlan() poc.Plan {
	return poc.Plan{HybridNodes: 10, GPUsPerNode: 8, GPUModel: "NVIDIA H200", Thresholds: netpath.LinkThresholds(10_000_000_000),
		NodePayload: 8472, PodPayload: 8422, StorageBytes: 1 << 30, DNSZone: "company.local"}
}

// readResults reads a results folder as poc.Grade takes it.
func readResults(t *testing.T, dir string) map[string][]byte {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string][]byte{}
	for _, e := range entries {
		b, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		out[e.Name()] = b
	}
	return out
}

// TestGradeRecordedResults grades recorded outputs (testdata/README.md
// says where each comes from): the passing folder passes every item, its
// failing twin fails every item, and both reports are golden.
func TestGradeRecordedResults(t *testing.T) {
	for _, tc := range []struct {
		dir  string
		pass bool
	}{{"pass", true}, {"fail", false}} {
		t.Run(tc.dir, func(t *testing.T) {
			r := poc.Grade(referencePlan(), readResults(t, filepath.Join("testdata", tc.dir)))
			if r.Pass != tc.pass {
				t.Errorf("Pass = %v, want %v", r.Pass, tc.pass)
			}
			var ids []string
			for _, it := range r.Items {
				ids = append(ids, it.ID)
				if it.Pass != tc.pass {
					t.Errorf("item %s: pass = %v, want %v: %+v", it.ID, it.Pass, tc.pass, it.Checks)
				}
			}
			if got := strings.Join(ids, ","); got != "gpu,storage,link,routing,dns" {
				t.Errorf("items %s", got)
			}
			testkit.Golden(t, filepath.Join("report-"+tc.dir+".golden.md"), r.Markdown())
			js, err := json.MarshalIndent(r, "", "  ")
			if err != nil {
				t.Fatal(err)
			}
			testkit.Golden(t, filepath.Join("report-"+tc.dir+".golden.json"), append(js, '\n'))
		})
	}
}

// TestEachCheckFailsAlone removes or breaks one result at a time from the
// passing folder: only the check that reads it fails.
func TestEachCheckFailsAlone(t *testing.T) {
	pass := readResults(t, filepath.Join("testdata", "pass"))
	fail := readResults(t, filepath.Join("testdata", "fail"))
	for _, file := range []string{poc.FileNodes, poc.FileGPUPod, poc.FileStorage, poc.FileLinkPing, poc.FileLinkIperf3,
		poc.FileNodePayload, poc.FilePodPayload, poc.FileCloudPodToHybridPod, poc.FileHybridPodToVPC, poc.FileDNSFromHybrid, poc.FileDNSFromCloud} {
		for _, how := range []string{"missing", "failing"} {
			t.Run(file+"/"+how, func(t *testing.T) {
				rs := map[string][]byte{}
				for k, v := range pass {
					rs[k] = v
				}
				if how == "missing" {
					delete(rs, file)
				} else {
					rs[file], rs[file+poc.ExitSuffix] = fail[file], fail[file+poc.ExitSuffix]
				}
				r := poc.Grade(referencePlan(), rs)
				var failed []string
				for _, it := range r.Items {
					for _, c := range it.Checks {
						if !c.Pass {
							failed = append(failed, c.File)
							if c.Look == "" || c.Measured == "" {
								t.Errorf("failing check %q says nothing: %+v", c.Name, c)
							}
						}
					}
				}
				if r.Pass || len(failed) == 0 {
					t.Fatalf("the report passes without %s", file)
				}
				for _, f := range failed {
					if f != file {
						t.Errorf("%s failed too: %v", f, failed)
					}
				}
			})
		}
	}
}

// TestLinkBands: the link's metrics take the band of the plan's
// thresholds; a warning passes, a critical fails.
func TestLinkBands(t *testing.T) {
	ping := func(avg, mdev float64, sent, received int) []byte {
		loss := float64(sent-received) * 100 / float64(sent)
		return []byte("--- 10.0.0.1 ping statistics ---\n" +
			itoa(sent) + " packets transmitted, " + itoa(received) + " received, " + ftoa(loss) + "% packet loss, time 100000ms\n" +
			"rtt min/avg/max/mdev = " + ftoa(avg/2) + "/" + ftoa(avg) + "/" + ftoa(avg*2) + "/" + ftoa(mdev) + " ms\n")
	}
	for _, tc := range []struct {
		name  string
		out   []byte
		bands string
		pass  bool
	}{
		{"2 ms", ping(2, 0.1, 10000, 10000), "latency=good jitter=good loss=good", true},
		{"7 ms", ping(7, 0.1, 10000, 10000), "latency=warning jitter=good loss=good", true},
		{"12 ms", ping(12, 0.1, 10000, 10000), "latency=critical jitter=good loss=good", false},
		{"0.05% loss", ping(2, 0.1, 10000, 9995), "latency=good jitter=good loss=warning", true},
		{"3 ms jitter", ping(2, 3, 10000, 10000), "latency=good jitter=warning loss=good", true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := poc.Grade(poc.Plan{}, map[string][]byte{poc.FileLinkPing: tc.out})
			var bands []string
			link := r.Items[0]
			for _, c := range link.Checks {
				if c.Grade != "" {
					bands = append(bands, c.Name+"="+c.Grade)
				}
			}
			if got := strings.Join(bands, " "); got != tc.bands {
				t.Errorf("bands %s, want %s", got, tc.bands)
			}
			// iperf3 did not run: only the ping checks are graded here.
			pingPass := true
			for _, c := range link.Checks {
				if c.File == poc.FileLinkPing {
					pingPass = pingPass && c.Pass
				}
			}
			if pingPass != tc.pass {
				t.Errorf("ping checks pass = %v, want %v", pingPass, tc.pass)
			}
		})
	}
}

func itoa(n int) string { return strconv.Itoa(n) }

func ftoa(f float64) string { return strconv.FormatFloat(f, 'f', 3, 64) }
