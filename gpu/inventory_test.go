package gpu_test

import (
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/hybridkit/hybridkit/gpu"
	"github.com/hybridkit/hybridkit/internal/testkit"
)

// h200 is what the captures of ../shared/fixtures/nvidia-smi/h200 describe.
var h200 = gpu.GPU{
	Index: 0, Name: "NVIDIA H200", UUID: "GPU-00000000-1111-2222-3333-444444444444", MemoryMiB: 143771,
	PCIBusID: "00000000:00:06.0", PCIDeviceID: 0x233510DE, MIGMode: gpu.MIGDisabled, ComputeCapability: "9.0",
}

func TestParseH200Captures(t *testing.T) {
	xmlInv, err := gpu.ParseSMILog(testkit.ReadTestdata(t, "nvidia-smi-q.xml"))
	if err != nil {
		t.Fatal(err)
	}
	want := gpu.Inventory{DriverVersion: "580.159.04", CUDAVersion: "13.0", GPUs: []gpu.GPU{h200}}
	if !reflect.DeepEqual(xmlInv, want) {
		t.Errorf("ParseSMILog = %+v\nwant %+v", xmlInv, want)
	}
	want.CUDAVersion = "" // --query-gpu has no CUDA version field
	for _, name := range []string{"query.csv", "query-nounits.csv"} {
		inv, err := gpu.ParseQueryCSV(testkit.ReadTestdata(t, name))
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if !reflect.DeepEqual(inv, want) {
			t.Errorf("%s = %+v\nwant %+v", name, inv, want)
		}
	}
}

func TestLabels(t *testing.T) {
	inv, err := gpu.ParseSMILog(testkit.ReadTestdata(t, "nvidia-smi-q.xml"))
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{
		"nvidia.com/gpu.present":                  "true",
		"nvidia.com/gpu.product":                  "NVIDIA-H200",
		"nvidia.com/gpu.count":                    "1",
		"nvidia.com/gpu.memory":                   "143771",
		"nvidia.com/gpu.family":                   "hopper",
		"nvidia.com/gpu.compute.major":            "9",
		"nvidia.com/gpu.compute.minor":            "0",
		"nvidia.com/mig.capable":                  "true",
		"nvidia.com/cuda.driver-version.major":    "580",
		"nvidia.com/cuda.driver-version.minor":    "159",
		"nvidia.com/cuda.driver-version.revision": "04",
		"nvidia.com/cuda.driver-version.full":     "580.159.04",
		"nvidia.com/cuda.runtime-version.major":   "13",
		"nvidia.com/cuda.runtime-version.minor":   "0",
		"nvidia.com/cuda.runtime-version.full":    "13.0",
		"nvidia.com/gpu.replicas":                 "1",
		"nvidia.com/gpu.sharing-strategy":         "none",
		"nvidia.com/mps.capable":                  "false",
		"gpu":                                     "h200",
		"gpu-count":                               "1",
	}
	if got := inv.Labels(); !maps.Equal(got, want) {
		t.Errorf("Labels() = %v\nwant %v", got, want)
	}
	if got := (gpu.Inventory{}).Labels(); !maps.Equal(got, map[string]string{"nvidia.com/gpu.present": "false"}) {
		t.Errorf("empty inventory labels = %v", got)
	}
}

func TestSanitise(t *testing.T) {
	for in, want := range map[string]string{
		"NVIDIA H100 80GB HBM3": "NVIDIA-H100-80GB-HBM3",
		"NVIDIA H200":           "NVIDIA-H200",
		"NVIDIA A100-SXM4-80GB": "NVIDIA-A100-SXM4-80GB",
		"Tesla  V100 (PCIe)/x":  "Tesla-V100-PCIex",
		"  RTX_6000.Ada  ":      "RTX_6000.Ada",
	} {
		if got := gpu.Sanitise(in); got != want {
			t.Errorf("Sanitise(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestLabelsUnderSharing follows GFD's labelers (k8s-device-plugin
// v0.20.0 internal/lm): a shared GPU is "<product>-SHARED" unless the
// shared resource is renamed, with its replicas and strategy, and only MPS
// makes a node mps.capable.
func TestLabelsUnderSharing(t *testing.T) {
	m, _ := gpu.ModelByAlias("h100")
	for _, tc := range []struct {
		name                                    string
		o                                       gpu.DevicePluginOptions
		product, replicas, strategy, mpsCapable string
	}{
		{"whole GPUs", gpu.DevicePluginOptions{}, "NVIDIA-H100-80GB-HBM3", "1", "none", "false"},
		{"time-slicing", gpu.DevicePluginOptions{Sharing: gpu.SharingTimeSlicing, Replicas: 4}, "NVIDIA-H100-80GB-HBM3-SHARED", "4", "time-slicing", "false"},
		{"time-slicing renamed", gpu.DevicePluginOptions{Sharing: gpu.SharingTimeSlicing, Replicas: 4, RenameByDefault: true}, "NVIDIA-H100-80GB-HBM3", "4", "time-slicing", "false"},
		{"mps", gpu.DevicePluginOptions{Sharing: gpu.SharingMPS, Replicas: 2}, "NVIDIA-H100-80GB-HBM3-SHARED", "2", "mps", "true"},
	} {
		l := gpu.ModelLabelsFor(m, 8, tc.o)
		got := []string{l[gpu.LabelGPUProduct], l[gpu.LabelGPUReplicas], l[gpu.LabelSharingStrategy], l[gpu.LabelMPSCapable]}
		if want := []string{tc.product, tc.replicas, tc.strategy, tc.mpsCapable}; !slices.Equal(got, want) {
			t.Errorf("%s: %v, want %v", tc.name, got, want)
		}
	}
}

func TestModelLabels(t *testing.T) {
	m, _ := gpu.ModelByAlias("h100")
	l := gpu.ModelLabels(m, 8)
	for k, want := range map[string]string{
		"nvidia.com/gpu.product": "NVIDIA-H100-80GB-HBM3", "nvidia.com/gpu.count": "8", "nvidia.com/gpu.memory": "81559",
		"gpu": "h100", "gpu-count": "8", "nvidia.com/gpu.present": "true", "nvidia.com/gpu.family": "hopper",
	} {
		if l[k] != want {
			t.Errorf("ModelLabels[%s] = %q, want %q", k, l[k], want)
		}
	}
}

func TestParseCSVFieldsInAnyOrder(t *testing.T) {
	csv := "memory.total [MiB], name, mig.mode.current, index, pci.device_id, uuid, driver_version\n" +
		"81559 MiB, NVIDIA H100 80GB HBM3, [N/A], 1, 0x233010DE, GPU-b, 550.54.15\n" +
		"81559 MiB, NVIDIA H100 80GB HBM3, Enabled, 0, 0x233010DE, GPU-a, 550.54.15\n"
	inv, err := gpu.ParseQueryCSV([]byte(csv))
	if err != nil {
		t.Fatal(err)
	}
	if len(inv.GPUs) != 2 || inv.GPUs[0].UUID != "GPU-a" || inv.GPUs[1].MIGMode != gpu.MIGNotSupported || inv.DriverVersion != "550.54.15" {
		t.Errorf("inventory = %+v", inv)
	}
	if m, ok := inv.GPUs[0].Model(); !ok || m.Alias != "h100" {
		t.Errorf("model = %v %v", m, ok)
	}
}

// TestParseNoHeaderWithTheQueryFields reads the real noheader,nounits
// capture with the fields its --query-gpu named, and gets what the capture
// with a header gives.
func TestParseNoHeaderWithTheQueryFields(t *testing.T) {
	fields := strings.Split("index,name,uuid,memory.total,driver_version,pci.bus_id,pci.device_id,mig.mode.current,compute_cap,power.limit,vbios_version", ",")
	got, err := gpu.ParseQueryCSVFields(fields, readShared("query-noheader-nounits.csv"))
	if err != nil {
		t.Fatal(err)
	}
	want, err := gpu.ParseQueryCSV(readShared("query.csv"))
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("noheader: %+v\nheader:   %+v", got, want)
	}
	for _, tc := range []struct {
		name   string
		fields []string
		in     string
		want   string
	}{
		{"too few fields", []string{"index", "name"}, "0, NVIDIA H200, extra\n", "fields"},
		{"no name", []string{"index"}, "0\n", "no \"name\""},
		{"not a field", []string{"name; rm"}, "x\n", "not a --query-gpu field"},
		{"a field twice", []string{"name", "name"}, "a, b\n", "twice"},
	} {
		if _, err := gpu.ParseQueryCSVFields(tc.fields, []byte(tc.in)); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: %v, want %q", tc.name, err, tc.want)
		}
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct {
		name, want string
		parse      func([]byte) error
		in         string
	}{
		{"csv without header", "not a header", csvErr, "0, NVIDIA H200, GPU-0, 143771, 580.159.04\n"},
		{"csv from the capture without header", "not a header", csvErr, string(readShared("query-noheader-nounits.csv"))},
		{"csv empty", "empty", csvErr, ""},
		{"csv no name column", "no \"name\" column", csvErr, "index, uuid\n0, GPU-0\n"},
		{"csv negative memory", "memory", csvErr, "name, memory.total [MiB]\nNVIDIA H200, -5 MiB\n"},
		{"csv absurd memory", "not plausible", csvErr, "name, memory.total [MiB]\nNVIDIA H200, 999999999 MiB\n"},
		{"csv ragged", "fields", csvErr, "name, index\nNVIDIA H200\n"},
		{"csv bad device id", "hexadecimal", csvErr, "name, pci.device_id\nNVIDIA H200, 0xZZ\n"},
		{"csv duplicate index", "twice", csvErr, "name, index\nA, 0\nB, 0\n"},
		{"csv mixed drivers", "differs", csvErr, "name, driver_version\nA, 550.1\nB, 560.1\n"},
		{"xml malformed", "malformed", xmlErr, "<nvidia_smi_log><gpu>"},
		{"xml wrong root", "malformed", xmlErr, "<other/>"},
		{"xml no gpus", "no GPUs", xmlErr, "<nvidia_smi_log><driver_version>1</driver_version></nvidia_smi_log>"},
		{"xml bad memory", "memory", xmlErr, "<nvidia_smi_log><gpu><product_name>X</product_name><fb_memory_usage><total>lots</total></fb_memory_usage></gpu></nvidia_smi_log>"},
		{"xml bad mig mode", "MIG mode", xmlErr, "<nvidia_smi_log><gpu><product_name>X</product_name><mig_mode><current_mig>Maybe</current_mig></mig_mode><fb_memory_usage><total>1 MiB</total></fb_memory_usage></gpu></nvidia_smi_log>"},
		{"mig not lgip", "not the output", migErr, "hello\n"},
		{"mig bad row", "malformed", migErr, "| GPU instance profiles: |\n|   0  MIG 1g.18gb  19  9/7  16.00  No  16  1  0 |\n"},
		{"mig no rows", "no profiles", migErr, "| GPU instance profiles: |\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.parse([]byte(tt.in))
			if err == nil || !strings.Contains(err.Error(), tt.want) || !strings.HasPrefix(err.Error(), "gpu: ") {
				t.Errorf("error = %v, want one containing %q", err, tt.want)
			}
		})
	}
}

func csvErr(b []byte) error { _, err := gpu.ParseQueryCSV(b); return err }
func xmlErr(b []byte) error { _, err := gpu.ParseSMILog(b); return err }
func migErr(b []byte) error { _, err := gpu.ParseMIGProfiles(b); return err }

// readShared reads a copied capture from testdata (tests never read
// ../shared directly).
func readShared(name string) []byte {
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		panic(err)
	}
	return b
}

func TestMIGCaptureMatchesCatalog(t *testing.T) {
	got, err := gpu.ParseMIGProfiles(testkit.ReadTestdata(t, "mig-lgip.txt"))
	if err != nil {
		t.Fatal(err)
	}
	m, _ := gpu.ModelByAlias("h200")
	if !reflect.DeepEqual(got, m.MIGProfiles) {
		t.Errorf("capture = %+v\ncatalog = %+v", got, m.MIGProfiles)
	}
	if p, ok := m.MIGProfile("MIG 3g.71gb"); !ok || p.Memory() != "69.75" || p.ResourceName() != "nvidia.com/mig-3g.71gb" {
		t.Errorf("profile = %+v", p)
	}
}

func TestCatalogLookups(t *testing.T) {
	for _, m := range gpu.Models() {
		if got, ok := gpu.ModelByPCIDeviceID(m.PCIDeviceID); !ok || got.Alias != m.Alias {
			t.Errorf("by PCI ID %#x: %v", m.PCIDeviceID, got.Alias)
		}
		if got, ok := gpu.ModelByPCIDeviceID(m.PCIDeviceID &^ 0xFFFF); !ok || got.Alias != m.Alias {
			t.Errorf("by device only %#x: %v", m.PCIDeviceID&^0xFFFF, got.Alias)
		}
		if got, ok := gpu.ModelByProductName(m.ProductName); !ok || got.Alias != m.Alias {
			t.Errorf("by name %q", m.ProductName)
		}
		slices7 := 0
		for _, p := range m.MIGProfiles {
			if p.Instances < 1 || p.MemoryCentiGiB <= 0 {
				t.Errorf("%s %s: %+v", m.Alias, p.Name, p)
			}
			if strings.HasPrefix(p.Name, "1g.") && !strings.Contains(p.Name, "+") && p.Instances == 7 {
				slices7++
			}
		}
		if slices7 != 1 {
			t.Errorf("%s: expected one 1g profile with 7 instances", m.Alias)
		}
	}
	if _, ok := gpu.ModelByAlias("b200"); ok {
		t.Errorf("unknown alias found")
	}
}

func FuzzParseSMILog(f *testing.F) {
	f.Add(testkit.ReadTestdata(f, "nvidia-smi-q.xml"))
	f.Add([]byte("<nvidia_smi_log><gpu><product_name>X</product_name><fb_memory_usage><total>1 MiB</total></fb_memory_usage></gpu></nvidia_smi_log>"))
	f.Fuzz(func(t *testing.T, data []byte) {
		inv, err := gpu.ParseSMILog(data)
		if err != nil {
			return
		}
		if len(inv.GPUs) == 0 {
			t.Fatal("success without GPUs")
		}
		_ = inv.Labels()
	})
}

func FuzzParseQueryCSV(f *testing.F) {
	f.Add(testkit.ReadTestdata(f, "query.csv"))
	f.Add(testkit.ReadTestdata(f, "query-nounits.csv"))
	f.Add([]byte("name, index\nA, 1\nB, 0\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		inv, err := gpu.ParseQueryCSV(data)
		if err != nil {
			return
		}
		for i, g := range inv.GPUs {
			if g.Name == "" || g.MemoryMiB < 0 || i > 0 && inv.GPUs[i-1].Index >= g.Index {
				t.Fatalf("inconsistent inventory %+v", inv)
			}
		}
		_ = inv.Labels()
	})
}

func FuzzParseMIGProfiles(f *testing.F) {
	f.Add(testkit.ReadTestdata(f, "mig-lgip.txt"))
	f.Fuzz(func(t *testing.T, data []byte) {
		ps, err := gpu.ParseMIGProfiles(data)
		if err != nil {
			return
		}
		for _, p := range ps {
			if p.Instances < 1 || p.MemoryCentiGiB < 0 {
				t.Fatalf("inconsistent profile %+v", p)
			}
		}
	})
}

func BenchmarkParseSMILogH200(b *testing.B) {
	data := testkit.ReadTestdata(b, "nvidia-smi-q.xml")
	b.ReportAllocs()
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		if _, err := gpu.ParseSMILog(data); err != nil {
			b.Fatal(err)
		}
	}
}

func ExampleParseSMILog() {
	xml := []byte(`<?xml version="1.0" ?>
<nvidia_smi_log>
	<driver_version>580.159.04</driver_version>
	<cuda_version>13.0</cuda_version>
	<gpu id="00000000:00:06.0">
		<product_name>NVIDIA H200</product_name>
		<product_architecture>Hopper</product_architecture>
		<mig_mode><current_mig>Disabled</current_mig></mig_mode>
		<uuid>GPU-00000000-1111-2222-3333-444444444444</uuid>
		<pci><pci_device_id>233510DE</pci_device_id><pci_bus_id>00000000:00:06.0</pci_bus_id></pci>
		<fb_memory_usage><total>143771 MiB</total></fb_memory_usage>
	</gpu>
</nvidia_smi_log>`)
	inv, err := gpu.ParseSMILog(xml)
	if err != nil {
		fmt.Println(err)
		return
	}
	l := inv.Labels()
	fmt.Println(l["nvidia.com/gpu.product"], l["nvidia.com/gpu.memory"], l["gpu"])
	// Output: NVIDIA-H200 143771 h200
}

func ExampleParseQueryCSV() {
	csv := []byte("index, name, memory.total [MiB], pci.device_id, compute_cap\n" +
		"0, NVIDIA H100 80GB HBM3, 81559 MiB, 0x233010DE, 9.0\n" +
		"1, NVIDIA H100 80GB HBM3, 81559 MiB, 0x233010DE, 9.0\n")
	inv, err := gpu.ParseQueryCSV(csv)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(len(inv.GPUs), inv.Labels()["nvidia.com/gpu.product"])
	// Output: 2 NVIDIA-H100-80GB-HBM3
}

func ExampleParseMIGProfiles() {
	out := []byte(`+-------------------------------------------------------------------------------+
| GPU instance profiles:                                                        |
| GPU   Name               ID    Instances   Memory     P2P    SM    DEC   ENC  |
|                                Free/Total   GiB              CE    JPEG  OFA  |
|===============================================================================|
|   0  MIG 3g.71gb          9     2/2        69.75      No     60     3     0   |
|                                                               3     3     0   |
+-------------------------------------------------------------------------------+
`)
	ps, err := gpu.ParseMIGProfiles(out)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(ps[0].Name, ps[0].ID, ps[0].Instances, ps[0].Memory(), ps[0].ResourceName())
	// Output: 3g.71gb 9 2 69.75 nvidia.com/mig-3g.71gb
}
