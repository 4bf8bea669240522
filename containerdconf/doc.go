// Package containerdconf models the parts of containerd's config.toml that a
// GPU hybrid node depends on — the CRI runtime plugin, its runtimes, CDI, the
// sandbox image, the registry host directory and the CNI directories — and
// renders, parses and checks them for config versions 2 and 3.
//
// It is a leaf shared by two packages: gpu builds the NVIDIA runtime configs
// with it, and nodeconfig uses it to lint the drop-in a NodeConfig carries in
// spec.containerd.config. It does no I/O.
//
// # Versions
//
//   - Version 2 (containerd 1.3 and later; what nodeadm writes for hybrid
//     nodes) keeps everything in the "io.containerd.grpc.v1.cri" plugin.
//   - Version 3 (containerd 2.0 and later) splits it into
//     "io.containerd.cri.v1.runtime" and "io.containerd.cri.v1.images" and
//     drops runtime_root and runtime_engine.
//   - Version 1 (no version key) is read by Parse, so Check can report it,
//     but never rendered.
//
// Sources: containerd RELEASES.md and docs/cri/config.md at v2.4.2
// (https://github.com/containerd/containerd/blob/v2.4.2/RELEASES.md,
// https://github.com/containerd/containerd/blob/v2.4.2/docs/cri/config.md).
//
// # Drop-ins
//
// containerd 1.x merges an imported file by replacing each plugin table it
// names as a whole (services/server/config/config.go mergeConfig; containerd
// issue #5837) and ignores the tables of a version 3 drop-in altogether;
// 2.0 merges sub-tables (PR #9982) and migrates older files. CheckDropIn
// reports what a drop-in loses or breaks against a given root, and
// NodeadmRoot is the root file the hybrid nodeadm writes.
//
//	cfg, err := containerdconf.Parse(dropIn)
//	if err != nil { … }
//	for _, f := range containerdconf.CheckDropIn(cfg, containerdconf.NodeadmRoot(pauseImage)) {
//		fmt.Println(f)
//	}
package containerdconf
