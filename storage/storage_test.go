package storage_test

import (
	"net/netip"
	"slices"
	"strings"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"

	"github.com/hybridkit/hybridkit/advice"
	"github.com/hybridkit/hybridkit/firewall"
	"github.com/hybridkit/hybridkit/internal/manifest"
	"github.com/hybridkit/hybridkit/internal/testkit"
	ivalidation "github.com/hybridkit/hybridkit/internal/validation"
	"github.com/hybridkit/hybridkit/netpath"
	"github.com/hybridkit/hybridkit/netplan"
	"github.com/hybridkit/hybridkit/storage"
)

// guideVolume is the guide's PV (192.168.1.100:/export/data, 10Ti, RWX),
// corrected: NFS 4.1 presets with noresvport, Retain, a claim bound to
// it, and node affinity to the side that has the fast path.
func guideVolume() storage.Volume {
	v := storage.Volume{
		Name:      "onprem-storage-pv",
		ClaimName: "onprem-storage",
		Namespace: "ml",
		Capacity:  "10Ti",
		NFS:       &storage.NFS{Server: "192.168.1.100", Path: "/export/data"},
		Placement: storage.HybridOnly,
	}
	v.Default()
	return v
}

func TestGuideVolumeGolden(t *testing.T) {
	variants := []struct {
		golden string
		v      storage.Volume
	}{
		{"pv-nfs.golden.yaml", guideVolume()},
		{"pv-nfs-csi.golden.yaml", func() storage.Volume {
			v := guideVolume()
			v.Name, v.NFS, v.NFSCSI, v.Placement, v.StorageClassName = "onprem-storage-csi", nil, &storage.NFS{Server: "nfs.company.internal", Path: "/export/data"}, storage.CloudOnly, "nfs-csi"
			return v
		}()},
		{"pv-lustre.golden.yaml", storage.Volume{Name: "lustre-scratch", Namespace: "ml", Capacity: "100Ti", AccessModes: []corev1.PersistentVolumeAccessMode{corev1.ReadWriteMany},
			ReclaimPolicy: corev1.PersistentVolumeReclaimRetain, Placement: storage.HybridOnly, Workload: storage.ReadWrite, ClaimName: "lustre-scratch",
			CSI: &storage.CSI{Driver: "lustre.csi.example.com", VolumeHandle: "lustre-fs-01", Attributes: map[string]string{"mgs": "192.168.2.10@tcp", "fsname": "scratch"}}}},
	}
	for _, tc := range variants {
		t.Run(tc.golden, func(t *testing.T) {
			if errs := tc.v.ValidateAt(nil); errs != nil {
				t.Fatal(errs)
			}
			pv, pvc, err := tc.v.Objects()
			if err != nil {
				t.Fatal(err)
			}
			y, err := manifest.Render(pv, pvc)
			if err != nil {
				t.Fatal(err)
			}
			testkit.Golden(t, tc.golden, y)
			objs := testkit.DecodeManifests(t, y)
			if len(objs) != 2 {
				t.Fatalf("%d objects", len(objs))
			}
			gotPV, gotPVC := objs[0].(*corev1.PersistentVolume), objs[1].(*corev1.PersistentVolumeClaim)
			if tc.v.StorageClassName == "" {
				if gotPVC.Spec.VolumeName != gotPV.Name || gotPV.Spec.ClaimRef.Name != gotPVC.Name || *gotPVC.Spec.StorageClassName != "" {
					t.Error("static binding: volumeName, claimRef and empty class must all be set")
				}
			} else if *gotPVC.Spec.StorageClassName != gotPV.Spec.StorageClassName || gotPVC.Spec.VolumeName != "" {
				t.Error("class binding: both objects must name the class")
			}
		})
	}
}

func TestVolumeValidation(t *testing.T) {
	for _, tc := range []struct {
		name   string
		mutate func(*storage.Volume)
		path   string
	}{
		{"capacity not a quantity", func(v *storage.Volume) { v.Capacity = "10 TB" }, "capacity"},
		{"zero capacity", func(v *storage.Volume) { v.Capacity = "0" }, "capacity"},
		{"relative export", func(v *storage.Volume) { v.NFS.Path = "export/data" }, "nfs.path"},
		{"unclean export", func(v *storage.Volume) { v.NFS.Path = "/export/../etc" }, "nfs.path"},
		{"server neither IP nor name", func(v *storage.Volume) { v.NFS.Server = "nfs server;rm" }, "nfs.server"},
		{"unknown access mode", func(v *storage.Volume) { v.AccessModes = []corev1.PersistentVolumeAccessMode{"ReadWriteSome"} }, "accessModes[0]"},
		{"reclaim recycle", func(v *storage.Volume) { v.ReclaimPolicy = corev1.PersistentVolumeReclaimRecycle }, "reclaimPolicy"},
		{"bad PV name", func(v *storage.Volume) { v.Name = "Onprem_PV" }, "name"},
		{"bad namespace", func(v *storage.Volume) { v.Namespace = "ml.team" }, "namespace"},
		{"placement", func(v *storage.Volume) { v.Placement = "edge" }, "placement"},
		{"two sources", func(v *storage.Volume) { v.CSI = &storage.CSI{Driver: "x.csi.example.com", VolumeHandle: "h"} }, "nfs"},
		{"bad mount option", func(v *storage.Volume) { v.MountOptions = []string{"rsize=1000"} }, "mountOptions"},
		{"hard and soft", func(v *storage.Volume) { v.MountOptions = []string{"hard", "soft"} }, "mountOptions"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			v := guideVolume()
			tc.mutate(&v)
			errs := v.ValidateAt(nil)
			if len(errs) != 1 || errs[0].Field != tc.path {
				t.Fatalf("Validate = %v, want one error at %s", errs, tc.path)
			}
			if pv, _, err := v.Objects(); err == nil || pv != nil {
				t.Error("Objects built an invalid volume")
			}
		})
	}
}

func TestMountOptions(t *testing.T) {
	opts, err := storage.ParseMountOptions(storage.PresetOptions(8))
	if err != nil {
		t.Fatal(err)
	}
	if fs := storage.CheckMountOptions(opts, storage.ReadWrite); len(fs) != 1 || fs[0].Code != storage.CodeNconnectKernel {
		t.Errorf("presets with nconnect: %v", fs)
	}
	for _, tc := range []struct {
		opts []string
		w    storage.Workload
		code advice.Code
	}{
		{[]string{"nfsvers=4.1", "soft"}, storage.ReadWrite, storage.CodeSoftWrite},
		{[]string{"vers=3,hard"}, storage.ReadWrite, storage.CodeNFSv3OverWAN},
		{[]string{"nfsvers=4.1", "proto=udp"}, storage.ReadWrite, storage.CodeUDPTransport},
		{[]string{"nfsvers=4.1", "rsize=32768"}, storage.ReadWrite, storage.CodeSmallIO},
		{[]string{"hard"}, storage.ReadWrite, storage.CodeNoVersion},
		{[]string{"nfsvers=4.2", "intr"}, storage.ReadWrite, storage.CodeIntrIgnored},
	} {
		opts, err := storage.ParseMountOptions(tc.opts)
		if err != nil {
			t.Fatalf("%v: %v", tc.opts, err)
		}
		fs := storage.CheckMountOptions(opts, tc.w)
		if !slices.ContainsFunc(fs, func(f advice.Finding) bool { return f.Code == tc.code }) {
			t.Errorf("%v: findings %v, want %s", tc.opts, fs, tc.code)
		}
	}
	soft, _ := storage.ParseMountOptions([]string{"nfsvers=4.1", "soft"})
	if fs := storage.CheckMountOptions(soft, storage.ReadOnly); len(fs) != 0 {
		t.Errorf("soft on a read-only volume: %v", fs)
	}
	for _, bad := range [][]string{{""}, {"a,,b"}, {"nfsvers=5"}, {"rsize=2048000"}, {"wsize=1000"}, {"timeo=abc"}, {"nconnect=17"}, {"hard=1"}, {"Hard"}, {"sec=krb6"}, {"proto=sctp"}, {"x=$(id)"}, {"x= y"}, {"=v"}, {"vers=4.1", "nfsvers=4.2"}, {"lookupcache=some"}} {
		if _, err := storage.ParseMountOptions(bad); err == nil {
			t.Errorf("ParseMountOptions(%q) accepted", bad)
		}
	}
}

func TestCheckPath(t *testing.T) {
	plan := netplan.Plan{Networks: []netplan.Network{
		{Name: "vpc", Role: netplan.RoleVPC, Prefix: netip.MustParsePrefix("10.0.0.0/16")},
		{Name: "nodes", Role: netplan.RoleRemoteNode, Prefix: netip.MustParsePrefix("192.168.10.0/24")},
		{Name: "pods", Role: netplan.RoleRemotePod, Prefix: netip.MustParsePrefix("10.244.0.0/16")},
	}}
	share := firewall.NFSShare{Server: netip.MustParseAddr("192.168.1.100")}
	path := netpath.Path{Hops: []netpath.Hop{{Kind: netpath.HopOnPrem}, {Kind: netpath.HopDXTransitVIF}, {Kind: netpath.HopTransitGateway}, {Kind: netpath.HopVPC}}}
	good := netpath.Measurement{Latency: 2 * time.Millisecond, Bandwidth: 20_000_000_000, Measured: []string{"latency", "bandwidth"}}
	c := storage.PathCheck{Measurement: good, Path: path, Plan: plan, Share: share, Rules: firewall.NFSProfile(plan, share), NodeMTU: 9000}
	codes := func(c storage.PathCheck) []string {
		var out []string
		for _, f := range storage.CheckPath(c) {
			out = append(out, string(f.Code)+":"+f.Level.String())
		}
		return out
	}
	if got := codes(c); !slices.Equal(got, []string{string(storage.CodePathMTU) + ":warning"}) {
		t.Errorf("good path, node MTU 9000 over a TGW: %v", got)
	}
	c.NodeMTU = 8500
	if got := codes(c); !slices.Equal(got, []string{string(storage.CodePathMTU) + ":info"}) {
		t.Errorf("good path: %v", got)
	}
	slow := c
	slow.Measurement = netpath.Measurement{Latency: 12 * time.Millisecond, Bandwidth: 7_000_000_000, Measured: []string{"latency", "bandwidth"}}
	if got := codes(slow); !slices.Equal(got, []string{string(storage.CodePathSlow) + ":error", string(storage.CodePathSlow) + ":warning", string(storage.CodePathMTU) + ":info"}) {
		t.Errorf("slow path: %v", got)
	}
	v3 := c
	v3.Share.Version = 3
	got := codes(v3)
	if n := strings.Count(strings.Join(got, " "), string(storage.CodeFirewallMissing)); n != 8 {
		t.Errorf("NFSv3 without rpcbind/mountd rules: %v", got)
	}
	unmeasured := c
	unmeasured.Measurement = netpath.Measurement{}
	if got := codes(unmeasured); strings.Count(strings.Join(got, " "), string(storage.CodePathNotMeasured)) != 2 {
		t.Errorf("unmeasured: %v", got)
	}
}

func TestFieldErrorsCarryPaths(t *testing.T) {
	v := guideVolume()
	v.Capacity, v.NFS.Path = "lots", "data"
	_, _, err := v.Objects()
	var fields []string
	for _, e := range ivalidation.FieldErrors(err) {
		fields = append(fields, e.Field)
	}
	if !slices.Equal(fields, []string{"capacity", "nfs.path"}) {
		t.Errorf("fields = %v (%v)", fields, err)
	}
}
