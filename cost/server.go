package cost

import (
	"fmt"
	"slices"
	"strings"

	"k8s.io/apimachinery/pkg/util/validation/field"

	"github.com/hybridkit/hybridkit/advice"
	ivalidation "github.com/hybridkit/hybridkit/internal/validation"
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
	return slices.Clone(cpuCatalog[:])
}

// cpuCatalog is the catalog, read-only: lookups run once per node group,
// so the table is built once, not per call.
var cpuCatalog = [...]CPU{
	{Model: "Xeon Platinum 8592+", Cores: 64, ThreadsPerCore: 2, Source: "Intel ARK, Xeon Platinum 8592+: 64 cores, 128 threads"},
	{Model: "Xeon Platinum 8480C", Cores: 56, ThreadsPerCore: 2, Source: "NVIDIA DGX H100/H200 user guide (2× 56-core)"},
	{Model: "Xeon Platinum 8480+", Cores: 56, ThreadsPerCore: 2, Source: "Intel ARK, Xeon Platinum 8480+: 56 cores, 112 threads"},
	{Model: "Xeon Platinum 8468", Cores: 48, ThreadsPerCore: 2, Source: "Intel ARK, Xeon Platinum 8468: 48 cores, 96 threads"},
	{Model: "EPYC 9654", Cores: 96, ThreadsPerCore: 2, Source: "AMD product page, EPYC 9654: 96 cores, 192 threads"},
}

// CPUByModel finds a catalog CPU by model name (case-insensitive).
func CPUByModel(model string) (CPU, bool) {
	if model == "" {
		return CPU{}, false
	}
	t := &cpuCatalog
	// The catalog's own spelling first: a fleet names one model on every
	// server, and an exact match needs no case folding.
	for _, c := range t {
		if c.Model == model {
			return c, true
		}
	}
	for _, c := range t {
		if strings.EqualFold(c.Model, model) {
			return c, true
		}
	}
	return CPU{}, false
}

// Processors are a server's CPUs: Sockets processors of one model. The
// vCPUs EKS bills, and the node reports, are sockets × cores per socket ×
// threads per core. Give either Model (from CPUs) or CoresPerSocket and
// ThreadsPerCore; a set field wins over the catalog's.
type Processors struct {
	Model          string `json:"model,omitempty"`
	Sockets        int    `json:"sockets"`
	CoresPerSocket int    `json:"coresPerSocket,omitempty"`
	ThreadsPerCore int    `json:"threadsPerCore,omitempty"`
	// DeclaredVCPUs is a count from a spec sheet or guide; when it
	// disagrees with the topology, Lint says so and the topology wins.
	DeclaredVCPUs int `json:"declaredVcpus,omitempty"`
}

// Server is one hybrid node's hardware: its processors, which EKS bills
// by the vCPU, and its GPUs, which comparisons divide by.
type Server struct {
	Name     string     `json:"name"`
	CPU      Processors `json:"cpu"`
	GPUs     int        `json:"gpus,omitempty"`
	GPUModel string     `json:"gpuModel,omitempty"`
}

// topology returns cores per socket and threads per core, from the
// catalog when the fields are unset, and whether Model is in the catalog.
func (p Processors) topology() (cores, threads int, known bool) {
	cores, threads = p.CoresPerSocket, p.ThreadsPerCore
	c, known := CPUByModel(p.Model)
	if known {
		if cores == 0 {
			cores = c.Cores
		}
		if threads == 0 {
			threads = c.ThreadsPerCore
		}
	}
	return cores, threads, known
}

// VCPUs returns sockets × cores × threads, or 0 for an incomplete
// topology.
func (p Processors) VCPUs() int {
	cores, threads, _ := p.topology()
	if p.Sockets < 1 || cores < 1 || threads < 1 {
		return 0
	}
	return p.Sockets * cores * threads
}

// VCPUs returns the server's vCPUs (Processors.VCPUs).
func (s Server) VCPUs() int { return s.CPU.VCPUs() }

// Validate returns nil, or every problem with its JSON path (ValidateAt).
func (p Processors) Validate() error { return ivalidation.ToError("cost", p.ValidateAt(nil)) }

// ValidateAt checks the topology with paths under fp: 1 to 16 sockets,
// 1 to 1024 cores (given, or from a catalog Model), 1 or 2 threads per
// core, and no negative declared count.
func (p Processors) ValidateAt(fp *field.Path) field.ErrorList {
	var errs field.ErrorList
	if p.Sockets < 1 || p.Sockets > 16 {
		errs = append(errs, field.Invalid(fp.Child("sockets"), p.Sockets, "must be 1 to 16"))
	}
	cores, threads, known := p.topology()
	if !known && p.CoresPerSocket == 0 {
		if p.Model == "" {
			errs = append(errs, field.Required(fp.Child("coresPerSocket"), "cores per socket, or a model from the catalog"))
		} else {
			errs = append(errs, field.NotFound(fp.Child("model"), p.Model))
		}
	}
	if p.CoresPerSocket < 0 || cores > 1024 {
		errs = append(errs, field.Invalid(fp.Child("coresPerSocket"), p.CoresPerSocket, "must be 1 to 1024"))
	}
	if threads != 0 && threads != 1 && threads != 2 || p.ThreadsPerCore < 0 {
		errs = append(errs, field.Invalid(fp.Child("threadsPerCore"), p.ThreadsPerCore, "must be 1 or 2"))
	}
	if cores > 0 && threads == 0 {
		errs = append(errs, field.Required(fp.Child("threadsPerCore"), "1 without SMT, 2 with"))
	}
	if p.DeclaredVCPUs < 0 {
		errs = append(errs, field.Invalid(fp.Child("declaredVcpus"), p.DeclaredVCPUs, "must not be negative"))
	}
	return errs
}

// Validate returns nil, or every problem with its JSON path (ValidateAt).
func (s Server) Validate() error { return ivalidation.ToError("cost", s.ValidateAt(nil)) }

// ValidateAt checks the processors (under fp's cpu) and that GPUs is not
// negative.
func (s Server) ValidateAt(fp *field.Path) field.ErrorList {
	errs := s.CPU.ValidateAt(fp.Child("cpu"))
	if s.GPUs < 0 {
		errs = append(errs, field.Invalid(fp.Child("gpus"), s.GPUs, "must not be negative"))
	}
	return errs
}

// CodeVCPUMismatch is the finding for a declared vCPU count that the
// topology contradicts.
const CodeVCPUMismatch advice.Code = "cost/vcpu-mismatch"

// valid reports cheaply whether ValidateAt would return nothing, so a
// large fleet builds no field paths when it is clean.
func (s Server) valid() bool {
	p := s.CPU
	cores, threads, known := p.topology()
	return p.Sockets >= 1 && p.Sockets <= 16 && (known || p.CoresPerSocket > 0) && p.CoresPerSocket >= 0 && cores <= 1024 &&
		(threads == 1 || threads == 2) && p.ThreadsPerCore >= 0 && s.GPUs >= 0 && p.DeclaredVCPUs >= 0
}

// Lint reports a declared vCPU count that the topology contradicts, at
// declaredVcpus (prefix it with advice.WithPrefix where the processors
// sit in a larger document).
func (p Processors) Lint() []advice.Finding {
	if p.DeclaredVCPUs == 0 {
		return nil
	}
	v := p.VCPUs()
	if v == 0 || p.DeclaredVCPUs == v {
		return nil
	}
	cores, threads, _ := p.topology()
	return []advice.Finding{{Level: advice.Warning, Code: CodeVCPUMismatch, Field: field.NewPath("declaredVcpus").String(),
		Message: fmt.Sprintf("%d vCPUs declared, but %d socket(s) × %d cores × %d threads = %d; EKS bills the vCPUs the node reports, so the estimate uses %d",
			p.DeclaredVCPUs, p.Sockets, cores, threads, v, v),
		Ref: "https://aws.amazon.com/eks/pricing/"}}
}
