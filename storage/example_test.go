package storage_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/hybridkit/hybridkit/storage"
)

func ExampleVolume_Objects() {
	v := storage.Volume{
		Name:      "onprem-data",
		Capacity:  "10Ti",
		NFS:       &storage.NFS{Server: "192.168.1.100", Path: "/export/data"},
		Placement: storage.HybridOnly,
	}
	v.Default()
	pv, pvc, err := v.Objects()
	if err != nil {
		panic(err)
	}
	fmt.Println(pv.Spec.PersistentVolumeReclaimPolicy, strings.Join(pv.Spec.MountOptions, ","))
	fmt.Println(pvc.Spec.VolumeName, *pvc.Spec.StorageClassName == "")
	// Output:
	// Retain nfsvers=4.1,rsize=1048576,wsize=1048576,hard,timeo=600,retrans=2,noresvport
	// onprem-data true
}

func ExampleNFSPresets() {
	for _, p := range storage.NFSPresets(4)[3:5] {
		fmt.Println(p.Option, "-", p.Reason)
	}
	// Output:
	// hard - retry forever instead of returning EIO: soft mounts corrupt data that is being written when the link drops
	// timeo=600 - 60 s before a retransmission (tenths of a second; the TCP default)
}

func FuzzParseMountOptions(f *testing.F) {
	f.Add("nfsvers=4.1,rsize=1048576,hard")
	f.Add("vers=3,soft,proto=udp")
	f.Add("a,,b")
	f.Add("sec=krb5:krb5p,nconnect=8")
	f.Fuzz(func(t *testing.T, s string) {
		opts, err := storage.ParseMountOptions([]string{s})
		if err != nil {
			return
		}
		var parts []string
		for _, o := range opts {
			parts = append(parts, o.String())
		}
		again, err := storage.ParseMountOptions([]string{strings.Join(parts, ",")})
		if err != nil || len(again) != len(opts) {
			t.Fatalf("round trip of %q: %v %v", s, again, err)
		}
		for i := range opts {
			if again[i] != opts[i] {
				t.Fatalf("round trip of %q changed %v to %v", s, opts[i], again[i])
			}
		}
		_ = storage.CheckMountOptions(opts, storage.ReadWrite)
	})
}
