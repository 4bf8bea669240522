package gpu

import (
	"fmt"
	"slices"
	"strings"
)

// Model is a GPU model hybridkit knows: its nvidia-smi name, PCI device,
// memory, the minimum driver branch that supports it and its MIG profiles.
// The zero Model is unknown.
type Model struct {
	// Alias is the short name used in labels and blueprints: "h100", "h200".
	Alias string
	// ProductName is what nvidia-smi reports ("NVIDIA H100 80GB HBM3").
	ProductName string
	// PCIDeviceID is the PCI device and vendor ID as nvidia-smi prints it
	// (0x233010DE: device 0x2330, vendor 0x10DE).
	PCIDeviceID uint32
	// MemoryMiB is memory.total as nvidia-smi reports it.
	MemoryMiB int
	// ComputeCapability is "major.minor" ("9.0" for Hopper).
	ComputeCapability string
	// MinDriver is the first driver branch that supports the GPU.
	MinDriver int
	// MIGProfiles are the GPU instance profiles the card offers, as
	// `nvidia-smi mig -lgip` lists them.
	MIGProfiles []MIGProfile
}

// MIGProfile is one GPU instance profile.
type MIGProfile struct {
	// Name is the profile name without the "MIG " prefix ("1g.18gb",
	// "1g.18gb+me").
	Name string
	// ID is the GPU instance profile ID used by `nvidia-smi mig -cgi`.
	ID int
	// Instances is how many instances of the profile fit on one GPU.
	Instances int
	// MemoryCentiGiB is the instance memory in hundredths of a GiB, as
	// nvidia-smi prints it (16.00 → 1600, 19.62 → 1962).
	MemoryCentiGiB int
	// SMs is the number of streaming multiprocessors, when known (0 if not).
	SMs int
}

// Memory returns the instance memory as nvidia-smi prints it ("16.00").
func (p MIGProfile) Memory() string {
	return fmt.Sprintf("%d.%02d", p.MemoryCentiGiB/100, p.MemoryCentiGiB%100)
}

// ResourceName is the extended resource the device plugin advertises for
// the profile under the mixed MIG strategy: nvidia.com/mig-1g.18gb.
func (p MIGProfile) ResourceName() string { return "nvidia.com/mig-" + p.Name }

// The catalog.
//
// Product names, PCI IDs and memory come from real nvidia-smi captures:
// an H200 (driver 580.159.04, in this package's testdata), H100 captures
// (https://github.com/utkuozdemir/nvidia_gpu_exporter/tree/master/internal/captures)
// and an H100 PCIe `mig -lgip` capture (driver 570.169). Minimum drivers:
// H100 80GB HBM3 (0x2330) first appears in 525.85.05 and H200 (0x2335) in
// 550.90.07 (the supported-device list of
// https://github.com/NVIDIA/open-gpu-kernel-modules/blob/550.90.07/README.md).
// MIG profiles and counts:
// https://github.com/NVIDIA/mig-parted/blob/5ffc59fe0a0c746059c47e29643fc29d51648867/deployments/systemd/config-default.yaml;
// memory and SM columns as printed by `nvidia-smi mig -lgip` (H100 PCIe and
// H200 captures; the H100 SXM5 has the same frame buffer, so the same
// instance memory).
func catalog() []Model {
	h100Profiles := func(sm [7]int) []MIGProfile {
		return []MIGProfile{
			{Name: "1g.10gb", ID: 19, Instances: 7, MemoryCentiGiB: 975, SMs: sm[0]},
			{Name: "1g.10gb+me", ID: 20, Instances: 1, MemoryCentiGiB: 975, SMs: sm[1]},
			{Name: "1g.20gb", ID: 15, Instances: 4, MemoryCentiGiB: 1962, SMs: sm[2]},
			{Name: "2g.20gb", ID: 14, Instances: 3, MemoryCentiGiB: 1962, SMs: sm[3]},
			{Name: "3g.40gb", ID: 9, Instances: 2, MemoryCentiGiB: 3950, SMs: sm[4]},
			{Name: "4g.40gb", ID: 5, Instances: 1, MemoryCentiGiB: 3950, SMs: sm[5]},
			{Name: "7g.80gb", ID: 0, Instances: 1, MemoryCentiGiB: 7925, SMs: sm[6]},
		}
	}
	return []Model{
		{
			Alias: "h100", ProductName: "NVIDIA H100 80GB HBM3", PCIDeviceID: 0x233010DE, MemoryMiB: 81559,
			ComputeCapability: "9.0", MinDriver: 525,
			// SM counts of the SXM5 part are not in a capture we hold.
			MIGProfiles: h100Profiles([7]int{}),
		},
		{
			Alias: "h100-pcie", ProductName: "NVIDIA H100 PCIe", PCIDeviceID: 0x233110DE, MemoryMiB: 81559,
			ComputeCapability: "9.0", MinDriver: 525,
			MIGProfiles: h100Profiles([7]int{14, 14, 14, 30, 46, 62, 114}),
		},
		{
			Alias: "h200", ProductName: "NVIDIA H200", PCIDeviceID: 0x233510DE, MemoryMiB: 143771,
			ComputeCapability: "9.0", MinDriver: 550,
			MIGProfiles: []MIGProfile{
				{Name: "1g.18gb", ID: 19, Instances: 7, MemoryCentiGiB: 1600, SMs: 16},
				{Name: "1g.18gb+me", ID: 20, Instances: 1, MemoryCentiGiB: 1600, SMs: 16},
				{Name: "1g.35gb", ID: 15, Instances: 4, MemoryCentiGiB: 3250, SMs: 26},
				{Name: "2g.35gb", ID: 14, Instances: 3, MemoryCentiGiB: 3250, SMs: 32},
				{Name: "3g.71gb", ID: 9, Instances: 2, MemoryCentiGiB: 6975, SMs: 60},
				{Name: "4g.71gb", ID: 5, Instances: 1, MemoryCentiGiB: 6975, SMs: 64},
				{Name: "7g.141gb", ID: 0, Instances: 1, MemoryCentiGiB: 14000, SMs: 132},
			},
		},
	}
}

// Models returns every model in the catalog, in a fixed order. The slice
// is a fresh copy.
func Models() []Model { return catalog() }

// ModelByAlias finds a model by its alias ("h100", "h200"), ignoring case.
func ModelByAlias(alias string) (Model, bool) {
	for _, m := range catalog() {
		if strings.EqualFold(m.Alias, alias) {
			return m, true
		}
	}
	return Model{}, false
}

// ModelByPCIDeviceID finds a model by the PCI ID nvidia-smi reports
// (0x233510DE); only the upper 16 bits (the device) are compared when the
// lower 16 bits are zero.
func ModelByPCIDeviceID(id uint32) (Model, bool) {
	for _, m := range catalog() {
		if m.PCIDeviceID == id || id&0xFFFF == 0 && m.PCIDeviceID>>16 == id>>16 {
			return m, true
		}
	}
	return Model{}, false
}

// ModelByProductName finds a model by its nvidia-smi product name.
func ModelByProductName(name string) (Model, bool) {
	for _, m := range catalog() {
		if m.ProductName == name {
			return m, true
		}
	}
	return Model{}, false
}

// Aliases lists the known model aliases, sorted.
func Aliases() []string {
	var out []string
	for _, m := range catalog() {
		out = append(out, m.Alias)
	}
	slices.Sort(out)
	return out
}

// MIGProfile returns the profile named name ("3g.71gb" or "MIG 3g.71gb").
func (m Model) MIGProfile(name string) (MIGProfile, bool) {
	name = strings.TrimPrefix(name, "MIG ")
	for _, p := range m.MIGProfiles {
		if p.Name == name {
			return p, true
		}
	}
	return MIGProfile{}, false
}
