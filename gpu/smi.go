package gpu

import (
	"bytes"
	"encoding/csv"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/hybridkit/hybridkit/advice"
)

// smiLog is the part of `nvidia-smi -q -x` (nvsmi_device_v12/v13.dtd) that
// the inventory needs.
type smiLog struct {
	XMLName       xml.Name `xml:"nvidia_smi_log"`
	DriverVersion string   `xml:"driver_version"`
	CUDAVersion   string   `xml:"cuda_version"`
	GPUs          []struct {
		ID           string `xml:"id,attr"`
		ProductName  string `xml:"product_name"`
		Architecture string `xml:"product_architecture"`
		UUID         string `xml:"uuid"`
		MinorNumber  string `xml:"minor_number"`
		MIGMode      struct {
			Current string `xml:"current_mig"`
		} `xml:"mig_mode"`
		PCI struct {
			DeviceID string `xml:"pci_device_id"`
			BusID    string `xml:"pci_bus_id"`
		} `xml:"pci"`
		FBMemory struct {
			Total string `xml:"total"`
		} `xml:"fb_memory_usage"`
	} `xml:"gpu"`
}

// headerFieldRE matches a --query-gpu header field: a lower-case property
// name, optionally followed by its unit ("memory.total [MiB]").
var headerFieldRE = regexp.MustCompile(`^[a-z_][a-z0-9_.]*( \[[^\]]+\])?$`)

// maxInput bounds the captures the parsers accept; an 8-GPU XML log is
// about 250 KB.
const maxInput = 16 << 20

// ParseSMILog reads the XML of `nvidia-smi -q -x`. GPUs are numbered in
// document order (nvidia-smi's index order). Compute capability is not in
// the log; it is set for Hopper GPUs (9.0) and left empty otherwise.
// Malformed XML, a log without GPUs, or implausible values are errors.
func ParseSMILog(data []byte) (Inventory, error) {
	if len(data) > maxInput {
		return Inventory{}, fmt.Errorf("gpu: nvidia-smi log is larger than %d bytes", maxInput)
	}
	var log smiLog
	d := xml.NewDecoder(bytes.NewReader(data))
	if err := d.Decode(&log); err != nil {
		return Inventory{}, fmt.Errorf("gpu: malformed nvidia-smi XML: %w", err)
	}
	inv := Inventory{DriverVersion: strings.TrimSpace(log.DriverVersion), CUDAVersion: strings.TrimSpace(log.CUDAVersion)}
	for i, x := range log.GPUs {
		g := GPU{Index: i, Name: strings.TrimSpace(x.ProductName), UUID: strings.TrimSpace(x.UUID), PCIBusID: strings.TrimSpace(x.PCI.BusID)}
		if g.PCIBusID == "" {
			g.PCIBusID = strings.TrimSpace(x.ID)
		}
		var err error
		if g.MemoryMiB, err = parseMiB(x.FBMemory.Total); err != nil {
			return Inventory{}, fmt.Errorf("gpu: gpu %d fb_memory_usage.total: %w", i, err)
		}
		if !notAvailable(x.PCI.DeviceID) {
			if g.PCIDeviceID, err = parsePCIDeviceID(x.PCI.DeviceID); err != nil {
				return Inventory{}, fmt.Errorf("gpu: gpu %d pci_device_id: %w", i, err)
			}
		}
		if g.MIGMode, err = parseMIGMode(x.MIGMode.Current); err != nil {
			return Inventory{}, fmt.Errorf("gpu: gpu %d mig_mode.current_mig: %w", i, err)
		}
		if strings.TrimSpace(x.Architecture) == "Hopper" {
			g.ComputeCapability = "9.0"
		}
		inv.GPUs = append(inv.GPUs, g)
	}
	if err := inv.validate(); err != nil {
		return Inventory{}, fmt.Errorf("gpu: %w", err)
	}
	return inv, nil
}

// ParseQueryCSV reads the output of `nvidia-smi --query-gpu=… --format=csv`
// with its header line, with or without nounits, fields in any order.
// It uses index, name, uuid, memory.total, driver_version, pci.bus_id,
// pci.device_id, mig.mode.current and compute_cap when present and ignores
// other fields; name is required. "[N/A]" and "N/A" mean "not reported".
// For output without the header (--format=csv,noheader) use
// ParseQueryCSVFields with the fields of the --query-gpu argument.
func ParseQueryCSV(data []byte) (Inventory, error) {
	if len(data) > maxInput {
		return Inventory{}, fmt.Errorf("gpu: nvidia-smi CSV is larger than %d bytes", maxInput)
	}
	r := queryReader(data)
	header, err := r.Read()
	if errors.Is(err, io.EOF) {
		return Inventory{}, errors.New("gpu: empty nvidia-smi CSV")
	}
	if err != nil {
		return Inventory{}, fmt.Errorf("gpu: malformed nvidia-smi CSV: %w", err)
	}
	for _, h := range header {
		if !headerFieldRE.MatchString(strings.TrimSpace(h)) {
			return Inventory{}, fmt.Errorf("gpu: the first CSV line %s is not a header (%s is not a query field): for --format=csv,noheader output use ParseQueryCSVFields with the --query-gpu fields", advice.Quote(strings.Join(header, ", ")), advice.Quote(h))
		}
	}
	return parseQueryRows(r, header, 2)
}

// ParseQueryCSVFields reads the output of `nvidia-smi
// --query-gpu=<fields> --format=csv,noheader[,nounits]`: every line is a
// GPU, its columns the query fields in order ("index", "name",
// "memory.total", …, as given to --query-gpu; a unit in brackets is
// allowed and ignored). The fields are read as ParseQueryCSV reads them;
// name is required, and a line with another number of columns is an
// error.
func ParseQueryCSVFields(fields []string, data []byte) (Inventory, error) {
	if len(data) > maxInput {
		return Inventory{}, fmt.Errorf("gpu: nvidia-smi CSV is larger than %d bytes", maxInput)
	}
	for _, f := range fields {
		if !headerFieldRE.MatchString(strings.TrimSpace(f)) {
			return Inventory{}, fmt.Errorf("gpu: %s is not a --query-gpu field", advice.Quote(f))
		}
	}
	return parseQueryRows(queryReader(data), fields, 1)
}

func queryReader(data []byte) *csv.Reader {
	r := csv.NewReader(bytes.NewReader(data))
	r.TrimLeadingSpace = true
	r.FieldsPerRecord = -1
	return r
}

// parseQueryRows reads the GPU lines of a query, whose columns are fields;
// the first line read is number firstLine of the input.
func parseQueryRows(r *csv.Reader, fields []string, firstLine int) (Inventory, error) {
	cols := map[string]int{}
	for i, h := range fields {
		name, _, _ := strings.Cut(strings.TrimSpace(h), " [")
		if _, dup := cols[name]; dup {
			return Inventory{}, fmt.Errorf("gpu: the query names %s twice", advice.Quote(name))
		}
		cols[name] = i
	}
	if _, ok := cols["name"]; !ok {
		return Inventory{}, errors.New("gpu: the CSV has no \"name\" column: add name to --query-gpu")
	}
	var inv Inventory
	for line := firstLine; ; line++ {
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return Inventory{}, fmt.Errorf("gpu: malformed nvidia-smi CSV: %w", err)
		}
		if len(rec) != len(fields) {
			return Inventory{}, fmt.Errorf("gpu: CSV line %d has %d fields, the query %d", line, len(rec), len(fields))
		}
		get := func(name string) (string, bool) {
			i, ok := cols[name]
			if !ok || notAvailable(rec[i]) {
				return "", false
			}
			return strings.TrimSpace(rec[i]), true
		}
		g := GPU{Index: len(inv.GPUs), MIGMode: MIGNotSupported}
		g.Name, _ = get("name")
		g.UUID, _ = get("uuid")
		g.PCIBusID, _ = get("pci.bus_id")
		g.ComputeCapability, _ = get("compute_cap")
		if v, ok := get("index"); ok {
			if g.Index, err = strconv.Atoi(v); err != nil || g.Index < 0 {
				return Inventory{}, fmt.Errorf("gpu: CSV line %d: index %s is not a GPU index", line, advice.Quote(v))
			}
		}
		if v, ok := get("memory.total"); ok {
			if g.MemoryMiB, err = parseMiB(v); err != nil {
				return Inventory{}, fmt.Errorf("gpu: CSV line %d memory.total: %w", line, err)
			}
		}
		if v, ok := get("pci.device_id"); ok {
			if g.PCIDeviceID, err = parsePCIDeviceID(v); err != nil {
				return Inventory{}, fmt.Errorf("gpu: CSV line %d pci.device_id: %w", line, err)
			}
		}
		if v, ok := get("mig.mode.current"); ok {
			if g.MIGMode, err = parseMIGMode(v); err != nil {
				return Inventory{}, fmt.Errorf("gpu: CSV line %d mig.mode.current: %w", line, err)
			}
		}
		if v, ok := get("driver_version"); ok {
			if inv.DriverVersion != "" && inv.DriverVersion != v {
				return Inventory{}, fmt.Errorf("gpu: CSV line %d: driver %s differs from %s on another GPU", line, advice.Quote(v), advice.Quote(inv.DriverVersion))
			}
			inv.DriverVersion = v
		}
		inv.GPUs = append(inv.GPUs, g)
	}
	slices.SortFunc(inv.GPUs, func(a, b GPU) int { return a.Index - b.Index })
	if err := inv.validate(); err != nil {
		return Inventory{}, fmt.Errorf("gpu: %w", err)
	}
	return inv, nil
}

// ParseMIGProfiles reads the table of `nvidia-smi mig -lgip`: the GPU
// instance profiles with their ID, instance count (the Total of
// Free/Total), memory and SM count. The table repeats the profiles for
// every GPU; those of the first GPU are returned, and a machine whose GPUs
// offer different profiles is an error (plan such nodes per GPU).
func ParseMIGProfiles(data []byte) ([]MIGProfile, error) {
	if len(data) > maxInput {
		return nil, fmt.Errorf("gpu: mig -lgip output is larger than %d bytes", maxInput)
	}
	var out []MIGProfile
	others := map[string][]MIGProfile{}
	firstGPU := ""
	sawHeader := false
	for n, line := range strings.Split(string(data), "\n") {
		line = strings.TrimSpace(line)
		if strings.Contains(line, "GPU instance profiles") {
			sawHeader = true
			continue
		}
		if !strings.HasPrefix(line, "|") || !strings.Contains(line, "MIG ") {
			continue
		}
		f := strings.Fields(strings.Trim(line, "| "))
		// GPU  MIG  <name>  ID  Free/Total  Memory  P2P  SM  DEC  ENC
		if len(f) != 10 || f[1] != "MIG" {
			return nil, fmt.Errorf("gpu: mig -lgip line %d: %q is not a profile row", n+1, line)
		}
		id, err1 := strconv.Atoi(f[3])
		free, total, ok := strings.Cut(f[4], "/")
		freeN, err2 := strconv.Atoi(free)
		totalN, err3 := strconv.Atoi(total)
		mem, err4 := parseCentiGiB(f[5])
		sm, err5 := strconv.Atoi(f[7])
		if err := errors.Join(err1, err2, err3, err4, err5); err != nil || !ok || id < 0 || totalN < 1 || freeN > totalN || sm < 0 {
			return nil, fmt.Errorf("gpu: mig -lgip line %d: malformed profile row %q", n+1, line)
		}
		p := MIGProfile{Name: f[2], ID: id, Instances: totalN, MemoryCentiGiB: mem, SMs: sm}
		if firstGPU == "" {
			firstGPU = f[0]
		}
		if f[0] == firstGPU {
			out = append(out, p)
		} else {
			others[f[0]] = append(others[f[0]], p)
		}
	}
	for gpu, ps := range others {
		if !slices.Equal(ps, out) {
			return nil, fmt.Errorf("gpu: mig -lgip: GPU %s offers other profiles than GPU %s", gpu, firstGPU)
		}
	}
	if !sawHeader {
		return nil, errors.New("gpu: not the output of nvidia-smi mig -lgip (no \"GPU instance profiles\" header)")
	}
	if len(out) == 0 {
		return nil, errors.New("gpu: mig -lgip lists no profiles (is MIG supported on this GPU?)")
	}
	return out, nil
}

// parseCentiGiB reads "16.00" or "140.00" into hundredths.
func parseCentiGiB(s string) (int, error) {
	whole, frac, ok := strings.Cut(s, ".")
	if !ok || len(frac) != 2 {
		return 0, fmt.Errorf("memory %q is not GiB with two decimals", s)
	}
	w, err1 := strconv.Atoi(whole)
	f, err2 := strconv.Atoi(frac)
	if err1 != nil || err2 != nil || w < 0 || w > 1<<20 {
		return 0, fmt.Errorf("memory %q is not GiB with two decimals", s)
	}
	return w*100 + f, nil
}
