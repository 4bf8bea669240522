package gpu

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
)

// Inventory is what nvidia-smi reports about a machine's GPUs.
type Inventory struct {
	// DriverVersion is the NVIDIA driver ("580.159.04").
	DriverVersion string
	// CUDAVersion is the highest CUDA version the driver supports ("13.0");
	// empty when the source does not report it (--query-gpu has no field
	// for it).
	CUDAVersion string
	// GPUs are ordered by index.
	GPUs []GPU
}

// GPU is one device.
type GPU struct {
	Index int
	// Name is the product name ("NVIDIA H200").
	Name string
	// UUID is "GPU-xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx".
	UUID string
	// MemoryMiB is memory.total.
	MemoryMiB int
	// PCIBusID is "00000000:83:00.0".
	PCIBusID string
	// PCIDeviceID is device and vendor ID (0x233510DE); 0 when unknown.
	PCIDeviceID uint32
	// MIGMode is the current MIG mode.
	MIGMode MIGMode
	// ComputeCapability is "9.0"; empty when unknown (the XML log does not
	// carry it; it is derived from the architecture for Hopper).
	ComputeCapability string
}

// MIGMode is a GPU's current MIG mode.
type MIGMode string

// MIG modes as nvidia-smi prints them. MIGNotSupported is "[N/A]"/"N/A":
// the GPU has no MIG.
const (
	MIGEnabled      MIGMode = "Enabled"
	MIGDisabled     MIGMode = "Disabled"
	MIGNotSupported MIGMode = "N/A"
)

// maxMemoryMiB bounds a plausible GPU memory size (1 TiB); larger values
// come from a broken capture.
const maxMemoryMiB = 1 << 20

// Model returns the catalog model of the GPU, matched by PCI device ID and
// then by product name.
func (g GPU) Model() (Model, bool) {
	if g.PCIDeviceID != 0 {
		if m, ok := ModelByPCIDeviceID(g.PCIDeviceID); ok {
			return m, true
		}
	}
	return ModelByProductName(g.Name)
}

// GFD and NFD label names (NVIDIA/k8s-device-plugin
// docs/gpu-feature-discovery/README.md).
const (
	LabelGPUPresent     = "nvidia.com/gpu.present"
	LabelGPUProduct     = "nvidia.com/gpu.product"
	LabelGPUCount       = "nvidia.com/gpu.count"
	LabelGPUMemory      = "nvidia.com/gpu.memory"
	LabelGPUFamily      = "nvidia.com/gpu.family"
	LabelComputeMajor   = "nvidia.com/gpu.compute.major"
	LabelComputeMinor   = "nvidia.com/gpu.compute.minor"
	LabelDriverMajor    = "nvidia.com/cuda.driver-version.major"
	LabelDriverMinor    = "nvidia.com/cuda.driver-version.minor"
	LabelDriverRevision = "nvidia.com/cuda.driver-version.revision"
	LabelDriverFull     = "nvidia.com/cuda.driver-version.full"
	LabelCUDAMajor      = "nvidia.com/cuda.runtime-version.major"
	LabelCUDAMinor      = "nvidia.com/cuda.runtime-version.minor"
	LabelCUDAFull       = "nvidia.com/cuda.runtime-version.full"
	LabelMIGCapable     = "nvidia.com/mig.capable"
	// LabelGPUReplicas and LabelSharingStrategy say how each GPU is
	// shared; LabelMPSCapable is true on nodes whose GPUs are shared with
	// MPS, and is what the MPS control daemon's DaemonSet selects.
	LabelGPUReplicas     = "nvidia.com/gpu.replicas"
	LabelSharingStrategy = "nvidia.com/gpu.sharing-strategy"
	LabelMPSCapable      = "nvidia.com/mps.capable"
	// LabelModelAlias and LabelModelCount are the adoption guide's short
	// labels (gpu=h100, gpu-count=8); hybridkit keeps them so existing
	// selectors keep working.
	LabelModelAlias = "gpu"
	LabelModelCount = "gpu-count"
)

// sanitiseRE and Sanitise mirror GPU feature discovery's sanitise: drop
// every character outside [A-Za-z0-9-_. ], then join the words with '-'
// (NVIDIA/k8s-device-plugin internal/lm).
var sanitiseRE = regexp.MustCompile(`[^A-Za-z0-9\-_. ]`)

// Sanitise turns a product name into the label value GFD uses:
// "NVIDIA H100 80GB HBM3" → "NVIDIA-H100-80GB-HBM3".
func Sanitise(name string) string {
	return strings.Join(strings.Fields(sanitiseRE.ReplaceAllString(name, "")), "-")
}

// family maps a compute capability major to GFD's family name.
func family(major int) string {
	switch major {
	case 7:
		return "volta" // 7.5 is turing; see familyOf
	case 8:
		return "ampere"
	case 9:
		return "hopper"
	case 10, 12:
		return "blackwell"
	}
	return ""
}

func familyOf(cc string) string {
	if cc == "7.5" {
		return "turing"
	}
	major, _, _ := strings.Cut(cc, ".")
	n, err := strconv.Atoi(major)
	if err != nil {
		return ""
	}
	return family(n)
}

// Labels is LabelsFor with the zero DevicePluginOptions: whole GPUs,
// no sharing.
func (inv Inventory) Labels() map[string]string { return inv.LabelsFor(DevicePluginOptions{}) }

// LabelsFor returns the node labels GPU feature discovery sets for this
// inventory when the device plugin runs with options o, for machines that
// run without GFD, plus the guide's short labels: the model alias
// (gpu=h200) and count (gpu-count=8). It describes the first GPU and
// counts all of them; an Inventory without GPUs yields only
// nvidia.com/gpu.present=false.
//
// Sharing changes what GFD writes (NVIDIA/k8s-device-plugin v0.20.0,
// internal/lm/resource.go baseLabeler and getProductName, and nvml.go
// newSharingLabeler): nvidia.com/gpu.replicas is the replicas per GPU (1
// without sharing), nvidia.com/gpu.sharing-strategy is time-slicing, mps
// or none, the product gets a "-SHARED" suffix unless the shared resource
// is renamed, and nvidia.com/mps.capable is true only under MPS — the
// label the MPS control daemon's DaemonSet selects nodes by.
func (inv Inventory) LabelsFor(o DevicePluginOptions) map[string]string {
	if len(inv.GPUs) == 0 {
		return map[string]string{LabelGPUPresent: "false"}
	}
	g := inv.GPUs[0]
	product := Sanitise(g.Name)
	replicas, strategy := 1, "none"
	if o.Sharing != SharingNone && o.Replicas > 1 {
		replicas, strategy = o.Replicas, string(o.Sharing)
		if !o.RenameByDefault {
			product += "-SHARED"
		}
	}
	l := map[string]string{
		LabelGPUPresent:      "true",
		LabelGPUProduct:      product,
		LabelGPUCount:        strconv.Itoa(len(inv.GPUs)),
		LabelModelCount:      strconv.Itoa(len(inv.GPUs)),
		LabelGPUReplicas:     strconv.Itoa(replicas),
		LabelSharingStrategy: strategy,
		LabelMPSCapable:      strconv.FormatBool(o.Sharing == SharingMPS && g.MIGMode != MIGEnabled),
	}
	if g.MemoryMiB > 0 {
		l[LabelGPUMemory] = strconv.Itoa(g.MemoryMiB)
	}
	if cc := g.ComputeCapability; cc != "" {
		major, minor, _ := strings.Cut(cc, ".")
		l[LabelComputeMajor], l[LabelComputeMinor] = major, minor
		if f := familyOf(cc); f != "" {
			l[LabelGPUFamily] = f
		}
	}
	switch g.MIGMode {
	case MIGEnabled, MIGDisabled:
		l[LabelMIGCapable] = "true"
	case MIGNotSupported:
		l[LabelMIGCapable] = "false"
	}
	if parts := strings.Split(inv.DriverVersion, "."); len(parts) == 3 {
		l[LabelDriverMajor], l[LabelDriverMinor], l[LabelDriverRevision] = parts[0], parts[1], parts[2]
		l[LabelDriverFull] = inv.DriverVersion
	}
	if major, minor, ok := strings.Cut(inv.CUDAVersion, "."); ok {
		l[LabelCUDAMajor], l[LabelCUDAMinor], l[LabelCUDAFull] = major, minor, inv.CUDAVersion
	}
	if m, ok := g.Model(); ok {
		l[LabelModelAlias] = m.Alias
	}
	return l
}

// ModelLabels is ModelLabelsFor with the zero DevicePluginOptions.
func ModelLabels(m Model, count int) map[string]string {
	return ModelLabelsFor(m, count, DevicePluginOptions{})
}

// ModelLabelsFor returns the labels a node with count GPUs of model m gets
// before any inventory is taken (at planning time) when the device plugin
// runs with o: presence, product, count, replicas and sharing strategy,
// memory, compute capability and family, and the guide's alias and count
// labels (see Inventory.LabelsFor).
func ModelLabelsFor(m Model, count int, o DevicePluginOptions) map[string]string {
	inv := Inventory{}
	for i := range count {
		inv.GPUs = append(inv.GPUs, GPU{Index: i, Name: m.ProductName, MemoryMiB: m.MemoryMiB, PCIDeviceID: m.PCIDeviceID, ComputeCapability: m.ComputeCapability})
	}
	return inv.LabelsFor(o)
}

// validate checks the values every parser must produce.
func (inv Inventory) validate() error {
	if len(inv.GPUs) == 0 {
		return fmt.Errorf("no GPUs in the input")
	}
	seen := map[int]bool{}
	for i, g := range inv.GPUs {
		switch {
		case g.Name == "":
			return fmt.Errorf("gpu %d: no product name", i)
		case g.MemoryMiB < 0 || g.MemoryMiB > maxMemoryMiB:
			return fmt.Errorf("gpu %d: memory.total %d MiB is not plausible (0 to %d)", i, g.MemoryMiB, maxMemoryMiB)
		case seen[g.Index]:
			return fmt.Errorf("gpu %d: index %d appears twice", i, g.Index)
		}
		seen[g.Index] = true
	}
	return nil
}

// parseMiB reads "143771 MiB" or "143771".
func parseMiB(s string) (int, error) {
	s = strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(s), "MiB"))
	n, err := strconv.Atoi(s)
	if err != nil {
		return 0, fmt.Errorf("memory %q is not a number of MiB", s)
	}
	if n < 0 || n > maxMemoryMiB {
		return 0, fmt.Errorf("memory %d MiB is not plausible (0 to %d)", n, maxMemoryMiB)
	}
	return n, nil
}

// parsePCIDeviceID reads "0x233510DE" or "233510DE".
func parsePCIDeviceID(s string) (uint32, error) {
	s = strings.TrimPrefix(strings.TrimPrefix(strings.TrimSpace(s), "0x"), "0X")
	n, err := strconv.ParseUint(s, 16, 32)
	if err != nil {
		return 0, fmt.Errorf("PCI device ID %q is not hexadecimal", s)
	}
	return uint32(n), nil
}

func parseMIGMode(s string) (MIGMode, error) {
	switch strings.Trim(strings.TrimSpace(s), "[]") {
	case "Enabled":
		return MIGEnabled, nil
	case "Disabled":
		return MIGDisabled, nil
	case "N/A", "":
		return MIGNotSupported, nil
	}
	return "", fmt.Errorf("MIG mode %q is not Enabled, Disabled or N/A", s)
}

// notAvailable reports nvidia-smi's markers for a missing value.
func notAvailable(s string) bool {
	s = strings.TrimSpace(s)
	return s == "" || s == "N/A" || s == "[N/A]" || strings.HasPrefix(s, "[Requested functionality") || strings.HasPrefix(s, "[Not Supported")
}
