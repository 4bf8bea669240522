package hybridkit_test

import (
	"encoding/json"
	"fmt"
	"reflect"
	"testing"

	"github.com/hybridkit/hybridkit/blueprint"
	"github.com/hybridkit/hybridkit/dnsplan"
	"github.com/hybridkit/hybridkit/gpu"
	"github.com/hybridkit/hybridkit/internal/testkit"
	"github.com/hybridkit/hybridkit/netplan"
	"github.com/hybridkit/hybridkit/nodeconfig"
	"github.com/hybridkit/hybridkit/storage"
)

// defaultsCase is a model left undefaulted, its Default, and its entry
// points, each printed to a string (result and error).
type defaultsCase struct {
	name    string
	value   func() any
	deflt   func(any) any
	entries map[string]func(any) string
}

// show prints results by value (JSON, pointers followed), errors by text.
func show(vs ...any) string {
	out := ""
	for _, v := range vs {
		if err, ok := v.(error); ok {
			out += "error: " + err.Error() + "\n"
			continue
		}
		b, err := json.Marshal(v)
		if err != nil {
			b = []byte(fmt.Sprint(v))
		}
		out += string(b) + "\n"
	}
	return out
}

// TestDefaultIsNeverRequired holds every package to the pipeline's rule
// on defaults (doc.go): every entry point reads a zero field as its
// default, so calling Default first changes no result, and no entry point
// changes its argument.
func TestDefaultIsNeverRequired(t *testing.T) {
	for _, tc := range defaultsCases() {
		for entry, call := range tc.entries {
			t.Run(tc.name+"/"+entry, func(t *testing.T) {
				v := tc.value()
				before := tc.value()
				got := call(v)
				if !reflect.DeepEqual(v, before) {
					t.Errorf("%s changed its argument", entry)
				}
				if want := call(tc.deflt(tc.value())); got != want {
					t.Errorf("%s differs after Default:\nwithout: %.600s\nwith:    %.600s", entry, got, want)
				}
			})
		}
	}
}

func defaultsCases() []defaultsCase {
	return []defaultsCase{
		{
			name: "dnsplan.Plan",
			value: func() any {
				p := dnsPlan()
				return p
			},
			deflt: func(v any) any { p := v.(dnsplan.Plan); p.Default(); return p },
			entries: map[string]func(any) string{
				"Validate":        func(v any) string { return show(v.(dnsplan.Plan).Validate()) },
				"Lint":            func(v any) string { return show(v.(dnsplan.Plan).Lint()) },
				"RenderBINDZones": func(v any) string { return show(dnsplan.RenderBINDZones(v.(dnsplan.Plan))) },
				"RenderCorefile":  func(v any) string { return show(dnsplan.RenderCorefile(v.(dnsplan.Plan))) },
				"AWSScript":       func(v any) string { return show(dnsplan.AWSScript(v.(dnsplan.Plan))) },
			},
		},
		{
			name: "netplan.Plan",
			value: func() any {
				p := testkit.ReferencePlan()
				p.CNI, p.PerNodeBits = "", 0
				return p
			},
			deflt: func(v any) any { p := v.(netplan.Plan); p.Default(); return p },
			entries: map[string]func(any) string{
				"Validate": func(v any) string { return show(v.(netplan.Plan).Validate()) },
				"Lint":     func(v any) string { return show(v.(netplan.Plan).Lint()) },
			},
		},
		{
			name: "nodeconfig.NodeConfig",
			value: func() any {
				c := nodeconfig.NewSSM("gpu-hybrid-cluster", "ap-northeast-2", "EXAMPLE+activation+code+0123456789", "6b7c2f1e-0d4a-4c1b-9e8f-1a2b3c4d5e6f")
				c.APIVersion, c.Kind = "", ""
				return c
			},
			deflt: func(v any) any { c := v.(nodeconfig.NodeConfig); c.Default(); return c },
			entries: map[string]func(any) string{
				"Validate": func(v any) string { return show(v.(nodeconfig.NodeConfig).Validate()) },
				"Lint":     func(v any) string { return show(v.(nodeconfig.NodeConfig).Lint()) },
				"Marshal": func(v any) string {
					b, err := nodeconfig.Marshal(v.(nodeconfig.NodeConfig))
					return show(string(b), err)
				},
			},
		},
		{
			name: "nodeconfig.Identity",
			value: func() any {
				return nodeconfig.Identity{ClusterName: "gpu-hybrid-cluster", Region: "ap-northeast-2", AccountID: "111122223333",
					Provider: nodeconfig.ProviderSSM, Activation: &nodeconfig.Activation{RegistrationLimit: 10}}
			},
			deflt: func(v any) any {
				id := v.(nodeconfig.Identity)
				a := *id.Activation
				id.Activation = &a
				id.Default()
				return id
			},
			entries: map[string]func(any) string{
				"Validate": func(v any) string { return show(v.(nodeconfig.Identity).Validate()) },
				"Role":     func(v any) string { return show(v.(nodeconfig.Identity).Role()) },
				"IdentityScript": func(v any) string {
					b, err := nodeconfig.IdentityScript(v.(nodeconfig.Identity))
					return show(string(b), err)
				},
			},
		},
		{
			name: "storage.Volume",
			value: func() any {
				return storage.Volume{Name: "onprem-data", Capacity: "10Ti", NFS: &storage.NFS{Server: "192.168.1.100", Path: "/export/data"}}
			},
			deflt: func(v any) any { x := v.(storage.Volume); x.Default(); return x },
			entries: map[string]func(any) string{
				"Validate": func(v any) string { return show(v.(storage.Volume).Validate()) },
				"Lint":     func(v any) string { return show(v.(storage.Volume).Lint()) },
				"Objects":  func(v any) string { return show(v.(storage.Volume).Objects()) },
			},
		},
		{
			name: "gpu.ContainerdOptions",
			value: func() any {
				return gpu.ContainerdOptions{SandboxImage: "602401143452.dkr.ecr.ap-northeast-2.amazonaws.com/eks/pause:3.10"}
			},
			deflt: func(v any) any { o := v.(gpu.ContainerdOptions); o.Default(); return o },
			entries: map[string]func(any) string{
				"Validate": func(v any) string { return show(v.(gpu.ContainerdOptions).Validate()) },
				"RenderContainerd": func(v any) string {
					b, err := gpu.RenderContainerd(gpu.TargetContainerd2, v.(gpu.ContainerdOptions))
					return show(string(b), err)
				},
				"CheckContainerdOptions": func(v any) string {
					return show(gpu.CheckContainerdOptions(gpu.TargetContainerd1, v.(gpu.ContainerdOptions)))
				},
			},
		},
		{
			name:  "gpu.DevicePluginOptions",
			value: func() any { return gpu.DevicePluginOptions{Sharing: gpu.SharingMPS, Replicas: 4} },
			deflt: func(v any) any { o := v.(gpu.DevicePluginOptions); o.Default(); return o },
			entries: map[string]func(any) string{
				"Validate": func(v any) string { return show(v.(gpu.DevicePluginOptions).Validate()) },
				"Lint":     func(v any) string { return show(v.(gpu.DevicePluginOptions).Lint()) },
				"PluginConfig": func(v any) string {
					b, err := gpu.PluginConfig(v.(gpu.DevicePluginOptions))
					return show(string(b), err)
				},
			},
		},
		{
			name: "blueprint.Blueprint",
			value: func() any {
				b := blueprint.Reference()
				b.CNI, b.Connectivity.TransitGatewayASN, b.Pricing.MonthHours, b.Storage[0].NFSVersion = "", 0, 0, 0
				return b
			},
			deflt: func(v any) any { b := v.(blueprint.Blueprint); b = cloneBlueprint(b); b.Default(); return b },
			entries: map[string]func(any) string{
				"Validate": func(v any) string { return show(v.(blueprint.Blueprint).Validate()) },
				"Render": func(v any) string {
					bundle, fs, err := blueprint.Render(v.(blueprint.Blueprint))
					idx, _ := bundle.IndexJSON()
					return show(string(idx), fs, err)
				},
			},
		},
	}
}

// dnsPlan is a plan that leaves every defaulted field zero (rule types
// and associations, the forward policy, the cluster's access, family and
// domain), as a file would.
func dnsPlan() dnsplan.Plan {
	p, err := dnsplan.ParsePlan([]byte(`{"region": "ap-northeast-2", "vpcId": "vpc-0a1b2c3d", "vpcCidrs": ["10.0.0.0/16"],
		"inbound": {"name": "in", "securityGroupId": "sg-0a1b2c3d", "ips": [
			{"ip": "10.0.1.100", "subnetId": "subnet-0a1b2c3d", "subnet": "10.0.1.0/24", "az": "ap-northeast-2a"},
			{"ip": "10.0.2.100", "subnetId": "subnet-0c1b2c3d", "subnet": "10.0.2.0/24", "az": "ap-northeast-2c"}]},
		"outbound": {"name": "out", "securityGroupId": "sg-0b1b2c3d", "ips": [
			{"ip": "10.0.1.101", "subnetId": "subnet-0a1b2c3d", "subnet": "10.0.1.0/24", "az": "ap-northeast-2a"},
			{"ip": "10.0.2.101", "subnetId": "subnet-0c1b2c3d", "subnet": "10.0.2.0/24", "az": "ap-northeast-2c"}]},
		"rules": [{"name": "corp", "domain": "corp.internal", "targets": [{"ip": "192.168.1.53"}]}],
		"onPrem": {"servers": ["192.168.1.53"]}}`))
	if err != nil {
		panic(err)
	}
	return p
}

// cloneBlueprint copies b through its YAML, so Default cannot reach the
// caller's slices.
func cloneBlueprint(b blueprint.Blueprint) blueprint.Blueprint {
	y, err := blueprint.Marshal(b)
	if err != nil {
		panic(err)
	}
	c, err := blueprint.Parse(y)
	if err != nil {
		panic(err)
	}
	return c
}
