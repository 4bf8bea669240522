package inspect

import (
	"path"
	"strings"

	"github.com/hybridkit/hybridkit/containerdconf"
	"github.com/hybridkit/hybridkit/gpu"
	"github.com/hybridkit/hybridkit/nodeconfig"
)

// Sources of the node-side checks.
const (
	refNodeConfig = "https://docs.aws.amazon.com/eks/latest/userguide/hybrid-nodes-nodeadm.html"
	refContainerd = "https://github.com/containerd/containerd/blob/v2.4.2/docs/cri/config.md"
)

// checkNodeConfig parses a NodeConfig as nodeadm does (strictly, by
// apiVersion and kind) and runs its Validate and Lint; Lint checks the
// embedded containerd drop-in against the root config nodeadm writes.
func (d *document) checkNodeConfig() {
	d.lines = indexYAML(d.data, "")
	c, err := nodeconfig.Parse(d.data)
	if err != nil {
		d.parseError(err, refNodeConfig)
		return
	}
	d.parsed = c
	d.invalid(CodeInvalid, "", c.Validate(), refNodeConfig)
	d.add(c.Lint()...)
}

// checkContainerd reads a containerd config: a root config.toml (or
// `containerd config dump` output) gets the GPU node checks, a drop-in —
// a file in a config.d folder, or one with neither imports nor a
// complete CRI section — is checked against the root config nodeadm
// writes, which is what imports it on a hybrid node.
func (d *document) checkContainerd() {
	c, err := containerdconf.Parse(d.data)
	if err != nil {
		d.parseError(err, refContainerd)
		return
	}
	d.parsed = c
	if isDropIn(d.name, c) {
		pause, _ := containerdconf.EKSPauseImage(d.ctxRegion(), containerdconf.NodeadmPauseTag)
		d.add(containerdconf.CheckDropIn(c, containerdconf.NodeadmRoot(pause))...)
		return
	}
	fs, err := gpu.CheckContainerd(d.data)
	if err != nil { // Parse above accepted it; gpu parses the same way.
		d.parseError(err, refContainerd)
		return
	}
	d.add(fs...)
}

// isDropIn reports whether a containerd file is a drop-in: it sits in a
// config.d folder or is named as one, or it imports nothing and has no
// runc runtime of its own (a root config always defines the runtime its
// pods run with).
func isDropIn(name string, c containerdconf.Config) bool {
	dir := path.Base(path.Dir(strings.ReplaceAll(name, "\\", "/")))
	base := strings.ToLower(path.Base(name))
	switch {
	case dir == "config.d", strings.Contains(base, "dropin"), strings.Contains(base, "drop-in"):
		return true
	case len(c.Imports) > 0:
		return false
	}
	if c.CRI == nil {
		return true
	}
	_, hasRunc := c.CRI.Runtimes["runc"]
	return !hasRunc
}

// ctxRegion is the Context's region, or us-west-2 when none is given:
// the region only picks the registry of the pause image the drop-in is
// compared with, and no finding of the drop-in check depends on it.
func (d *document) ctxRegion() string {
	if d.ctx.Region != "" {
		return d.ctx.Region
	}
	return "us-west-2"
}
