package gpu

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"k8s.io/apimachinery/pkg/util/validation/field"

	"github.com/hybridkit/hybridkit/advice"
	"github.com/hybridkit/hybridkit/internal/imageref"
)

// HostFacts describe a machine that is to become a GPU hybrid node. Empty
// fields are not checked.
type HostFacts struct {
	// OSID and OSVersion are ID and VERSION_ID of /etc/os-release
	// ("ubuntu", "22.04"); see ParseOSRelease.
	OSID      string `json:"osId,omitempty"`
	OSVersion string `json:"osVersion,omitempty"`
	// Kernel is `uname -r` ("5.15.0-91-generic").
	Kernel string `json:"kernel,omitempty"`
	// DriverVersion is the NVIDIA driver ("550.54.15").
	DriverVersion string `json:"driverVersion,omitempty"`
	// ContainerdVersion is `containerd --version`'s version ("1.7.12").
	ContainerdVersion string `json:"containerdVersion,omitempty"`
	// ToolkitVersion is the NVIDIA Container Toolkit ("1.17.4").
	ToolkitVersion string `json:"toolkitVersion,omitempty"`
	// GPUs are model aliases ("h100") or nvidia-smi product names.
	GPUs []string `json:"gpus,omitempty"`
	// KubernetesVersion is the cluster's minor version ("1.31").
	KubernetesVersion string `json:"kubernetesVersion,omitempty"`
	// CNI is "cilium" or "calico".
	CNI string `json:"cni,omitempty"`
}

// ParseOSRelease reads ID and VERSION_ID from /etc/os-release. Other lines
// (and text that is not KEY=VALUE) are ignored; a file without ID is an
// error.
func ParseOSRelease(data []byte) (id, versionID string, err error) {
	sc := bufio.NewScanner(bytes.NewReader(data))
	for sc.Scan() {
		k, v, ok := strings.Cut(strings.TrimSpace(sc.Text()), "=")
		if !ok {
			continue
		}
		if uq, err := strconv.Unquote(v); err == nil {
			v = uq
		} else {
			v = strings.Trim(v, `'"`)
		}
		switch k {
		case "ID":
			id = v
		case "VERSION_ID":
			versionID = v
		}
	}
	if err := sc.Err(); err != nil {
		return "", "", fmt.Errorf("gpu: reading os-release: %w", err)
	}
	if id == "" {
		return "", "", errors.New("gpu: os-release has no ID line")
	}
	return id, versionID, nil
}

// Finding codes of CheckHost.
const (
	CodeOSUnsupported      advice.Code = "gpu/os-unsupported"
	CodeOSLimitedSupport   advice.Code = "gpu/os-limited-support"
	CodeKernelForCilium    advice.Code = "gpu/kernel-too-old-for-cilium"
	CodeDriverTooOld       advice.Code = "gpu/driver-too-old"
	CodeContainerdTooOld   advice.Code = "gpu/containerd-too-old"
	CodeContainerdConfig   advice.Code = "gpu/containerd-config-version"
	CodeContainerdK8sSkew  advice.Code = "gpu/containerd-kubernetes-skew"
	CodeToolkitV3          advice.Code = "gpu/toolkit-cannot-write-v3"
	CodeToolkitDropInPath  advice.Code = "gpu/toolkit-dropin-path"
	CodeToolkitRuntimeType advice.Code = "gpu/toolkit-runtime-type"
	CodeUnknownGPU         advice.Code = "gpu/unknown-model"
	CodeUnparsableVersion  advice.Code = "gpu/unparsable-version"
)

// containerdForKubernetes is the oldest containerd of each release line that
// supports a Kubernetes minor, from containerd RELEASES.md ("Kubernetes
// support"); lines not listed are not supported for that minor.
func containerdForKubernetes(minor int) map[string]string {
	switch minor {
	case 32:
		return map[string]string{"2.1": "2.1.0", "2.0": "2.0.1", "1.7": "1.7.24", "1.6": "1.6.36"}
	case 33:
		return map[string]string{"2.1": "2.1.0", "2.0": "2.0.4", "1.7": "1.7.24"}
	case 34:
		return map[string]string{"2.1": "2.1.3", "2.0": "2.0.6", "1.7": "1.7.28"}
	case 35:
		return map[string]string{"2.2": "2.2.0", "2.1": "2.1.5", "1.7": "1.7.28"}
	case 36:
		return map[string]string{"2.3": "2.3.0", "2.2": "2.2.0"}
	}
	return nil
}

// CheckHost reports what keeps a machine from being a working GPU hybrid
// node: an operating system EKS Hybrid Nodes do not support, a kernel too
// old for Cilium, an NVIDIA driver older than its GPUs need, a containerd
// too old (or not supported for the cluster's Kubernetes version), the
// containerd config version to render, and NVIDIA Container Toolkit
// releases with known containerd-config bugs.
func CheckHost(h HostFacts) []advice.Finding {
	var fs []advice.Finding
	add := func(l advice.Level, code advice.Code, at *field.Path, msg, ref string) {
		fs = append(fs, advice.Finding{Level: l, Code: code, Field: at.String(), Message: msg, Ref: ref})
	}
	const (
		refOS           = "https://docs.aws.amazon.com/eks/latest/userguide/hybrid-nodes-os.html"
		refCiliumKernel = "https://docs.cilium.io/en/stable/operations/system_requirements/#linux-kernel"
		// The supported-GPU list of the open kernel modules names each GPU
		// with the first driver that supports it.
		refDriverGPUs = "https://github.com/NVIDIA/open-gpu-kernel-modules/blob/550.90.07/README.md#compatible-gpus"
	)
	major := func(v string) int { n, _ := strconv.Atoi(strings.SplitN(v, ".", 2)[0]); return n }
	switch id := strings.ToLower(h.OSID); id {
	case "":
	case "ubuntu":
		if h.OSVersion != "20.04" && h.OSVersion != "22.04" && h.OSVersion != "24.04" {
			add(advice.Error, CodeOSUnsupported, field.NewPath("osVersion"), fmt.Sprintf("Ubuntu %s is not supported for hybrid nodes (20.04, 22.04 and 24.04 are)", advice.Quote(h.OSVersion)), refOS)
		}
	case "rhel":
		if m := major(h.OSVersion); m != 8 && m != 9 {
			add(advice.Error, CodeOSUnsupported, field.NewPath("osVersion"), fmt.Sprintf("RHEL %s is not supported for hybrid nodes (8 and 9 are)", advice.Quote(h.OSVersion)), refOS)
		}
	case "amzn":
		add(advice.Warning, CodeOSLimitedSupport, field.NewPath("osId"), "Amazon Linux 2023 is supported as a hybrid node only in on-premises virtualised environments, and outside AWS Support; prefer Ubuntu or RHEL on bare-metal GPU servers", refOS)
	case "bottlerocket":
		add(advice.Error, CodeOSUnsupported, field.NewPath("osId"), "Bottlerocket hybrid nodes exist only as VMware variants and do not use nodeadm; a bare-metal GPU server needs Ubuntu or RHEL", refOS)
	default:
		add(advice.Error, CodeOSUnsupported, field.NewPath("osId"), fmt.Sprintf("%s is not an operating system EKS Hybrid Nodes support (Ubuntu 20.04/22.04/24.04, RHEL 8/9, Amazon Linux 2023, Bottlerocket on VMware)", advice.Quote(id)), refOS)
	}
	if strings.EqualFold(h.CNI, "cilium") && h.Kernel != "" {
		if v, ok := imageref.ParseVersion(h.Kernel); !ok {
			add(advice.Warning, CodeUnparsableVersion, field.NewPath("kernel"), fmt.Sprintf("kernel version %s is not major.minor[.patch]", advice.Quote(h.Kernel)), refCiliumKernel)
		} else if imageref.CompareVersions(v[:min(2, len(v))], []int{5, 10}) < 0 {
			add(advice.Error, CodeKernelForCilium, field.NewPath("kernel"), fmt.Sprintf("kernel %s is older than 5.10, which the Cilium releases supported on hybrid nodes (1.17, 1.18) require; Ubuntu 20.04's 5.4 and RHEL 8's 4.18 are too old — use the HWE kernel or a newer release", advice.Quote(h.Kernel)), refCiliumKernel)
		}
	}
	driver, driverOK := imageref.ParseVersion(h.DriverVersion)
	if h.DriverVersion != "" && !driverOK {
		add(advice.Warning, CodeUnparsableVersion, field.NewPath("driverVersion"), fmt.Sprintf("driver version %s is not a version number", advice.Quote(h.DriverVersion)), refDriverGPUs)
	}
	for i, name := range h.GPUs {
		m, ok := ModelByAlias(name)
		if !ok {
			m, ok = ModelByProductName(name)
		}
		if !ok {
			add(advice.Info, CodeUnknownGPU, field.NewPath("gpus").Index(i), fmt.Sprintf("GPU %s is not in the catalog (%s); its driver minimum is not checked", advice.Quote(name), strings.Join(Aliases(), ", ")), refDriverGPUs)
			continue
		}
		if driverOK && driver[0] < m.MinDriver {
			add(advice.Error, CodeDriverTooOld, field.NewPath("driverVersion"), fmt.Sprintf("driver %s is older than the %d branch, the first to support the %s (%s)", advice.Quote(h.DriverVersion), m.MinDriver, m.ProductName, m.Alias), refDriverGPUs)
		}
	}
	fs = append(fs, checkContainerdVersion(h)...)
	return advice.Sort(fs)
}

func checkContainerdVersion(h HostFacts) []advice.Finding {
	var fs []advice.Finding
	if h.ContainerdVersion == "" {
		return nil
	}
	cv, ok := imageref.ParseVersion(h.ContainerdVersion)
	if !ok || len(cv) < 2 {
		return []advice.Finding{{Level: advice.Warning, Code: CodeUnparsableVersion, Field: field.NewPath("containerdVersion").String(), Message: fmt.Sprintf("containerd version %s is not a version number", advice.Quote(h.ContainerdVersion))}}
	}
	const refReleases = "https://github.com/containerd/containerd/blob/v2.4.2/RELEASES.md#kubernetes-support"
	switch {
	case imageref.CompareVersions(cv, []int{1, 6}) < 0:
		fs = append(fs, advice.Finding{Level: advice.Error, Code: CodeContainerdTooOld, Field: field.NewPath("containerdVersion").String(),
			Message: fmt.Sprintf("containerd %s is older than 1.6; use the 1.7 or 2.x line", advice.Quote(h.ContainerdVersion)), Ref: refReleases})
	case cv[0] == 1:
		fs = append(fs, advice.Finding{Level: advice.Info, Code: CodeContainerdConfig, Field: field.NewPath("containerdVersion").String(),
			Message: fmt.Sprintf("containerd %s reads config version 2, both as a standalone config.toml and as a drop-in under nodeadm; it reads a version 3 file without an error but ignores its plugin tables, and it replaces whole plugin tables on import, so drop-ins must carry the complete CRI section", advice.Quote(h.ContainerdVersion)), Ref: refReleases})
	default:
		fs = append(fs, advice.Finding{Level: advice.Info, Code: CodeContainerdConfig, Field: field.NewPath("containerdVersion").String(),
			Message: fmt.Sprintf("containerd %s reads config version 3 in a standalone config.toml; under nodeadm, whose root file is version 2, the drop-in stays version 2, which every containerd reads", advice.Quote(h.ContainerdVersion)), Ref: refReleases})
	}
	if kv, ok := imageref.ParseVersion(h.KubernetesVersion); ok && len(kv) >= 2 && kv[0] == 1 {
		if table := containerdForKubernetes(kv[1]); table != nil {
			line := fmt.Sprintf("%d.%d", cv[0], cv[1])
			minimum, listed := table[line]
			mv, _ := imageref.ParseVersion(minimum)
			if !listed || imageref.CompareVersions(cv, mv) < 0 {
				var supported []string
				for _, l := range []string{"1.6", "1.7", "2.0", "2.1", "2.2", "2.3"} {
					if m, ok := table[l]; ok {
						supported = append(supported, m+"+")
					}
				}
				fs = append(fs, advice.Finding{Level: advice.Warning, Code: CodeContainerdK8sSkew, Field: field.NewPath("containerdVersion").String(),
					Message: fmt.Sprintf("containerd %s is not listed as supporting Kubernetes %s (supported: %s)", advice.Quote(h.ContainerdVersion), advice.Quote(h.KubernetesVersion), strings.Join(supported, ", ")), Ref: refReleases})
			}
		}
	}
	if tv, ok := imageref.ParseVersion(h.ToolkitVersion); ok {
		if cv[0] >= 2 && imageref.CompareVersions(tv, []int{1, 17, 4}) < 0 {
			fs = append(fs, advice.Finding{Level: advice.Error, Code: CodeToolkitV3, Field: field.NewPath("toolkitVersion").String(),
				Message: fmt.Sprintf("NVIDIA Container Toolkit %s predates config version 3 support (1.17.4); on containerd %s nvidia-ctk fails with \"unsupported config version: 3\" — upgrade it or use the rendered config", advice.Quote(h.ToolkitVersion), advice.Quote(h.ContainerdVersion)), Ref: "https://github.com/NVIDIA/nvidia-container-toolkit/pull/805"})
		}
		if imageref.CompareVersions(tv, []int{1, 18, 0}) == 0 {
			fs = append(fs, advice.Finding{Level: advice.Warning, Code: CodeToolkitDropInPath, Field: field.NewPath("toolkitVersion").String(),
				Message: "NVIDIA Container Toolkit 1.18.0 writes its drop-in to /etc/containerd/config.d/99-nvidia.toml — on a hybrid node that is nodeadm's import directory, where on containerd 1.x its CRI table replaces the one in 00-nodeadm.toml; use 1.18.1 or later", Ref: "https://github.com/NVIDIA/nvidia-container-toolkit/issues/1404"})
		}
		if imageref.CompareVersions(tv, []int{1, 20, 0}) < 0 && imageref.CompareVersions(tv, []int{1, 18, 0}) >= 0 {
			fs = append(fs, advice.Finding{Level: advice.Info, Code: CodeToolkitRuntimeType, Field: field.NewPath("toolkitVersion").String(),
				Message: fmt.Sprintf("NVIDIA Container Toolkit %s can write drop-ins without runtime_type (containerd: \"container.Runtime.Name must be set\"), fixed in 1.20.0; the library's drop-in always sets it", advice.Quote(h.ToolkitVersion)), Ref: "https://github.com/NVIDIA/nvidia-container-toolkit/issues/1956"})
		}
	}
	return fs
}
