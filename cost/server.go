package cost

import (
	"fmt"
	"strings"

	"k8s.io/apimachinery/pkg/util/validation/field"

	"github.com/hybridkit/hybridkit/advice"
)

// CPU is a processor model's core count and threads per core.
type CPU struct {
	Model          string `json:"model"`
	Cores          int    `json:"cores"`
	ThreadsPerCore int    `json:"threadsPerCore"`
	Source         string `json:"source"`
}

// CPUs is a small catalog of the processors in GPU servers (Intel ARK and
// AMD product pages). The Xeon Platinum 8592+ has 64 cores, so the guide's
// "224 vCPU, 2× Xeon Platinum 8592+" cannot both be true: two give 256;
// DGX H100 and H200 use two 56-core 8480C, which give 224.
func CPUs() []CPU {
	t := cpuTable()
	return t[:]
}

// cpuTable is the catalog as an array, so lookups do not allocate.
func cpuTable() [5]CPU {
	return [5]CPU{
		{Model: "Xeon Platinum 8592+", Cores: 64, ThreadsPerCore: 2, Source: "Intel ARK, Xeon Platinum 8592+: 64 cores, 128 threads"},
		{Model: "Xeon Platinum 8480C", Cores: 56, ThreadsPerCore: 2, Source: "NVIDIA DGX H100/H200 user guide (2× 56-core)"},
		{Model: "Xeon Platinum 8480+", Cores: 56, ThreadsPerCore: 2, Source: "Intel ARK, Xeon Platinum 8480+: 56 cores, 112 threads"},
		{Model: "Xeon Platinum 8468", Cores: 48, ThreadsPerCore: 2, Source: "Intel ARK, Xeon Platinum 8468: 48 cores, 96 threads"},
		{Model: "EPYC 9654", Cores: 96, ThreadsPerCore: 2, Source: "AMD product page, EPYC 9654: 96 cores, 192 threads"},
	}
}

// CPUByModel finds a catalog CPU by model name (case-insensitive).
func CPUByModel(model string) (CPU, bool) {
	for _, c := range cpuTable() {
		if strings.EqualFold(c.Model, model) {
			return c, true
		}
	}
	return CPU{}, false
}

// Server is one hybrid node's hardware. vCPUs are what EKS bills and what
// the node reports: sockets × cores per socket × threads per core. Give
// either CPUModel (from CPUs) or CoresPerSocket and ThreadsPerCore.
type Server struct {
	Name           string `json:"name"`
	CPUModel       string `json:"cpuModel,omitempty"`
	Sockets        int    `json:"sockets"`
	CoresPerSocket int    `json:"coresPerSocket,omitempty"`
	ThreadsPerCore int    `json:"threadsPerCore,omitempty"`
	// DeclaredVCPUs is a count from a spec sheet or guide; when it
	// disagrees with the topology, Lint says so and the topology wins.
	DeclaredVCPUs int    `json:"declaredVcpus,omitempty"`
	GPUs          int    `json:"gpus,omitempty"`
	GPUModel      string `json:"gpuModel,omitempty"`
}

// topology returns cores per socket and threads per core, from the
// catalog when the fields are unset.
func (s Server) topology() (cores, threads int) {
	cores, threads = s.CoresPerSocket, s.ThreadsPerCore
	if c, ok := CPUByModel(s.CPUModel); ok {
		if cores == 0 {
			cores = c.Cores
		}
		if threads == 0 {
			threads = c.ThreadsPerCore
		}
	}
	return cores, threads
}

// VCPUs returns sockets × cores × threads, or 0 for an incomplete
// topology.
func (s Server) VCPUs() int {
	cores, threads := s.topology()
	return s.Sockets * cores * threads
}

// ValidateAt checks the topology: positive sockets, cores and threads
// (1 or 2 per core), a known CPU model when cores are not given, and no
// negative GPUs.
func (s Server) ValidateAt(fp *field.Path) field.ErrorList {
	var errs field.ErrorList
	if s.Sockets < 1 || s.Sockets > 16 {
		errs = append(errs, field.Invalid(fp.Child("sockets"), s.Sockets, "must be 1 to 16"))
	}
	if _, ok := CPUByModel(s.CPUModel); !ok && s.CoresPerSocket == 0 {
		if s.CPUModel == "" {
			errs = append(errs, field.Required(fp.Child("coresPerSocket"), "cores per socket, or a cpuModel from the catalog"))
		} else {
			errs = append(errs, field.NotFound(fp.Child("cpuModel"), s.CPUModel))
		}
	}
	cores, threads := s.topology()
	if s.CoresPerSocket < 0 || cores > 1024 {
		errs = append(errs, field.Invalid(fp.Child("coresPerSocket"), s.CoresPerSocket, "must be 1 to 1024"))
	}
	if threads != 0 && threads != 1 && threads != 2 || s.ThreadsPerCore < 0 {
		errs = append(errs, field.Invalid(fp.Child("threadsPerCore"), s.ThreadsPerCore, "must be 1 or 2"))
	}
	if cores > 0 && threads == 0 {
		errs = append(errs, field.Required(fp.Child("threadsPerCore"), "1 without SMT, 2 with"))
	}
	if s.GPUs < 0 {
		errs = append(errs, field.Invalid(fp.Child("gpus"), s.GPUs, "must not be negative"))
	}
	if s.DeclaredVCPUs < 0 {
		errs = append(errs, field.Invalid(fp.Child("declaredVcpus"), s.DeclaredVCPUs, "must not be negative"))
	}
	return errs
}

// CodeVCPUMismatch is the finding for a declared vCPU count that the
// topology contradicts.
const CodeVCPUMismatch = "cost/vcpu-mismatch"

// valid reports cheaply whether ValidateAt would return nothing, so a
// large fleet builds no field paths when it is clean.
func (s Server) valid() bool {
	cores, threads := s.topology()
	_, known := CPUByModel(s.CPUModel)
	return s.Sockets >= 1 && s.Sockets <= 16 && (known || s.CoresPerSocket > 0) && s.CoresPerSocket >= 0 && cores <= 1024 &&
		(threads == 1 || threads == 2) && s.ThreadsPerCore >= 0 && s.GPUs >= 0 && s.DeclaredVCPUs >= 0
}

// Lint reports a declared vCPU count that the topology contradicts.
func (s Server) Lint(fieldPath string) []advice.Finding {
	v := s.VCPUs()
	if s.DeclaredVCPUs == 0 || v == 0 || s.DeclaredVCPUs == v {
		return nil
	}
	cores, threads := s.topology()
	return []advice.Finding{{Level: advice.Warning, Code: CodeVCPUMismatch, Field: fieldPath,
		Message: fmt.Sprintf("%s: %d vCPUs declared, but %d socket(s) × %d cores × %d threads = %d; EKS bills the vCPUs the node reports, so the estimate uses %d",
			advice.Quote(s.Name), s.DeclaredVCPUs, s.Sockets, cores, threads, v, v),
		Ref: "https://aws.amazon.com/eks/pricing/"}}
}
