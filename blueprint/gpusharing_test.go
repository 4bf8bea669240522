package blueprint_test

import (
	"slices"
	"strings"
	"testing"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"

	"github.com/hybridkit/hybridkit/advice"
	"github.com/hybridkit/hybridkit/blueprint"
	"github.com/hybridkit/hybridkit/gpu"
	"github.com/hybridkit/hybridkit/internal/testkit"
	"github.com/hybridkit/hybridkit/nodeconfig"
)

// TestGPUSharing renders the reference with each sharing strategy and
// checks the device plugin objects, the labels GPU feature discovery
// would set on the nodes, the training pod's selector and the findings.
func TestGPUSharing(t *testing.T) {
	for _, tc := range []struct {
		strategy    gpu.Sharing
		daemonSets  int
		wantFinding advice.Code
	}{
		{gpu.SharingTimeSlicing, 1, gpu.CodeSharedMultiRequest},
		{gpu.SharingMPS, 2, gpu.CodeMPSControlDaemon},
	} {
		t.Run(string(tc.strategy), func(t *testing.T) {
			b := blueprint.Reference()
			b.GPUSharing = &blueprint.GPUSharing{Strategy: tc.strategy, Replicas: 4}
			bundle, findings, err := blueprint.Render(b)
			if err != nil {
				t.Fatal(err)
			}
			f, _ := bundle.File("kubernetes/nvidia-device-plugin.yaml")
			var ds []*appsv1.DaemonSet
			for _, o := range testkit.DecodeManifests(t, f.Content) {
				if d, ok := o.(*appsv1.DaemonSet); ok {
					ds = append(ds, d)
				}
			}
			if len(ds) != tc.daemonSets {
				t.Errorf("%d DaemonSets, want %d", len(ds), tc.daemonSets)
			}
			if tc.strategy == gpu.SharingMPS && !strings.Contains(string(f.Content), "MPS_ROOT") {
				t.Error("the MPS device plugin has no MPS_ROOT: it exits with \"using MPS requires --mps-root to be specified\"")
			}
			nc, ok := bundle.File("nodeconfigs/gpu-node-01.yaml")
			if !ok {
				t.Fatal("no NodeConfig")
			}
			c, err := nodeconfig.Parse(nc.Content)
			if err != nil {
				t.Fatal(err)
			}
			l := c.Spec.Kubelet.NodeLabels
			if l[gpu.LabelGPUReplicas] != "4" || l[gpu.LabelSharingStrategy] != string(tc.strategy) || !strings.HasSuffix(l[gpu.LabelGPUProduct], "-SHARED") {
				t.Errorf("labels %v: want replicas 4, strategy %s, a -SHARED product", l, tc.strategy)
			}
			if want := tc.strategy == gpu.SharingMPS; (l[gpu.LabelMPSCapable] == "true") != want {
				t.Errorf("%s = %q", gpu.LabelMPSCapable, l[gpu.LabelMPSCapable])
			}
			w, _ := bundle.File("kubernetes/workloads.yaml")
			for _, o := range testkit.DecodeManifests(t, w.Content) {
				if p, ok := o.(*corev1.Pod); ok && p.Name == "gpu-training" {
					if got := p.Spec.NodeSelector[gpu.LabelGPUProduct]; got != l[gpu.LabelGPUProduct] {
						t.Errorf("the training pod selects product %q; the nodes carry %q", got, l[gpu.LabelGPUProduct])
					}
				}
			}
			if !slices.ContainsFunc(findings, func(f advice.Finding) bool {
				return f.Code == tc.wantFinding && strings.HasPrefix(f.Field, "gpuSharing.")
			}) {
				t.Errorf("no %s finding under gpuSharing: %v", tc.wantFinding, findings)
			}
		})
	}
}
