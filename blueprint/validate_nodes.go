package blueprint

import (
	"fmt"
	"net/netip"
	"strconv"
	"strings"

	"k8s.io/apimachinery/pkg/util/validation/field"

	"github.com/hybridkit/hybridkit/advice"
	"github.com/hybridkit/hybridkit/cost"
	"github.com/hybridkit/hybridkit/gpu"
	"github.com/hybridkit/hybridkit/netplan"
	"github.com/hybridkit/hybridkit/nodeconfig"
)

// maxSSMNodes is the most managed instances one SSM hybrid activation
// registers (SSM API reference, CreateActivation RegistrationLimit:
// https://docs.aws.amazon.com/systems-manager/latest/APIReference/API_CreateActivation.html).
const maxSSMNodes = 1000

// validateCredentials checks the credential source: the activation's
// ID and code together (nodeconfig.SSM's rules), or the IAM Roles
// Anywhere ARNs; never both.
func (b Blueprint) validateCredentials(cp *field.Path) field.ErrorList {
	c := b.Credentials
	var errs field.ErrorList
	switch c.Provider {
	case nodeconfig.ProviderSSM:
		if s := c.SSM; s != nil && (s.ActivationID != "" || s.ActivationCode != "") {
			errs = append(errs, nodeconfig.SSM{ActivationCode: s.ActivationCode, ActivationID: s.ActivationID}.ValidateAt(cp.Child("ssm"))...)
		}
		if n := b.totalNodes(); n > maxSSMNodes {
			errs = append(errs, field.Invalid(cp.Child("provider"), c.Provider, fmt.Sprintf("one SSM activation registers at most %d nodes and the pools hold %d: use iam-roles-anywhere", maxSSMNodes, n)))
		}
		if c.IAMRolesAnywhere != nil {
			errs = append(errs, field.Forbidden(cp.Child("iamRolesAnywhere"), "the provider is ssm"))
		}
	case nodeconfig.ProviderIAMRolesAnywhere:
		ra := c.IAMRolesAnywhere
		if ra == nil {
			errs = append(errs, field.Required(cp.Child("iamRolesAnywhere"), "the trust anchor"))
		} else {
			errs = append(errs, nodeconfig.IAMRolesAnywhere{TrustAnchorARN: ra.TrustAnchorARN, ProfileARN: ra.ProfileARN}.ValidateAt(cp.Child("iamRolesAnywhere"))...)
		}
		if c.SSM != nil {
			errs = append(errs, field.Forbidden(cp.Child("ssm"), "the provider is iam-roles-anywhere"))
		}
	}
	return errs
}

// validatePools checks the node pools: each pool's own fields, what its
// hosts run (gpu.CheckHost's errors, at the pool's fields), and across
// pools the node names and addresses, each used once. Nothing
// proportional to a count is built before the counts are in range.
func (b Blueprint) validatePools(pp, fp *field.Path) field.ErrorList {
	var errs field.ErrorList
	if len(b.NodePools) == 0 {
		return field.ErrorList{field.Required(pp, "at least one pool of hybrid nodes")}
	}
	if total := b.totalNodes(); total > nodeconfig.MaxNodes {
		return field.ErrorList{field.TooMany(pp, total, nodeconfig.MaxNodes)}
	}
	pools := map[string]*field.Path{}
	names := map[string]*field.Path{}
	addrs := map[netip.Addr]string{}
	for i, p := range b.NodePools {
		ip := pp.Index(i)
		if prev, dup := pools[p.Name]; dup {
			errs = append(errs, field.Duplicate(ip.Child("name"), p.Name+" (also "+prev.String()+")"))
		}
		pools[p.Name] = ip
		errs = append(errs, b.validatePool(ip, fp, p)...)
		if p.Count < 1 || p.Count > nodeconfig.MaxNodes {
			continue
		}
		if perrs := nodeconfig.ValidateNamePattern(ip.Child("hostnamePattern"), p.HostnamePattern, 1, p.Count); len(perrs) > 0 {
			errs = append(errs, perrs...)
			continue
		}
		errs = append(errs, b.validateNodes(ip, p, names, addrs)...)
	}
	return errs
}

// validatePool checks one pool's fields that relate to others: its CPU
// topology, GPU model and driver, the labels its kubelets may set, the
// hours within the pricing month, and its hosts' software.
func (b Blueprint) validatePool(ip, fp *field.Path, p NodePool) field.ErrorList {
	errs := p.CPU.ValidateAt(ip.Child("cpu"))
	if p.GPU != nil {
		if _, ok := gpu.ModelByAlias(p.GPU.Model); !ok {
			errs = append(errs, field.NotSupported(ip.Child("gpu", "model"), p.GPU.Model, gpu.Aliases()))
		}
		if major, _, _ := strings.Cut(p.DriverVersion, "."); p.DriverVersion != "" {
			if _, err := strconv.Atoi(major); err != nil {
				errs = append(errs, field.Invalid(ip.Child("driverVersion"), p.DriverVersion, "must be an NVIDIA driver version such as 550.127.05"))
			}
		}
	}
	errs = append(errs, nodeconfig.ValidateNodeLabels(ip.Child("labels"), p.Labels)...)
	if m := b.Pricing.MonthHours; m >= 1 && m <= cost.MaxMonthHours && p.HoursPerMonth > m {
		errs = append(errs, field.Invalid(ip.Child("hoursPerMonth"), p.HoursPerMonth, fmt.Sprintf("must be 0 (all month) to pricing.monthHours (%d)", m)))
	}
	for _, f := range gpu.CheckHost(p.hostFacts(b)) {
		// The os tag lists the supported systems: CheckHost's verdict on
		// another would repeat its error.
		if f.Level == advice.Error && f.Code != gpu.CodeOSUnsupported {
			at := hostFieldPath(ip, f.Field)
			errs = append(errs, field.Invalid(at, hostValue(p, f.Field), f.Message))
		}
	}
	return errs
}

// validateNodes checks a pool's nodes: names unique across pools, and
// addresses from firstAddress on inside the remote node network, none the
// network's own address, each used once.
func (b Blueprint) validateNodes(ip *field.Path, p NodePool, names map[string]*field.Path, addrs map[netip.Addr]string) field.ErrorList {
	var errs field.ErrorList
	rnn := b.Site.RemoteNodeNetwork
	if netplan.RoleRemoteNode.ValidatePrefix(nil, rnn) != nil {
		rnn = netip.Prefix{} // its own error says why; no address is checked against it
	}
	a := p.FirstAddress
	for j := range p.Count {
		name := fmt.Sprintf(p.HostnamePattern, j+1)
		if prev, dup := names[name]; dup {
			errs = append(errs, field.Duplicate(ip.Child("hostnamePattern"), name+" (also "+prev.String()+")"))
			break
		}
		names[name] = ip
		if b.Credentials.Provider == nodeconfig.ProviderIAMRolesAnywhere && len(name) < 2 {
			errs = append(errs, field.Invalid(ip.Child("hostnamePattern"), p.HostnamePattern, "names a node "+strconv.Quote(name)+": with IAM Roles Anywhere the node name is the role session name, at least 2 characters"))
			break
		}
		if !a.IsValid() || !rnn.IsValid() {
			continue
		}
		switch {
		case !rnn.Contains(a):
			return append(errs, field.Invalid(ip.Child("firstAddress"), p.FirstAddress.String(), fmt.Sprintf("node %d of %d (%s) would be %s, outside the remote node network %s: EKS only reaches nodes inside it", j+1, p.Count, name, a, rnn)))
		case a == rnn.Masked().Addr():
			return append(errs, field.Invalid(ip.Child("firstAddress"), a.String(), "is the remote node network's own address"))
		}
		if prev, dup := addrs[a]; dup {
			return append(errs, field.Duplicate(ip.Child("firstAddress"), a.String()+" (also "+prev+")"))
		}
		addrs[a] = name
		a = a.Next()
	}
	return errs
}

// hostFacts describes the pool's hosts for gpu.CheckHost.
func (p NodePool) hostFacts(b Blueprint) gpu.HostFacts {
	h := gpu.HostFacts{DriverVersion: p.DriverVersion, ContainerdVersion: p.ContainerdVersion, KubernetesVersion: b.Cluster.KubernetesVersion, CNI: string(b.CNI)}
	if p.GPU == nil {
		h.DriverVersion = ""
	} else {
		h.GPUs = []string{p.GPU.Model}
	}
	switch id, version, _ := strings.Cut(p.OS, "-"); id {
	case "ubuntu", "rhel":
		h.OSID, h.OSVersion = id, version
	case "al2023":
		h.OSID, h.OSVersion = "amzn", "2023"
	}
	return h
}

// hostFieldPath is the pool field a gpu.HostFacts field comes from.
func hostFieldPath(ip *field.Path, f string) *field.Path {
	switch f {
	case "driverVersion", "containerdVersion":
		return ip.Child(f)
	case "gpus[0]":
		return ip.Child("gpu", "model")
	}
	return ip.Child("os")
}

// hostValue is the pool's value behind a gpu.HostFacts field.
func hostValue(p NodePool, f string) string {
	switch f {
	case "driverVersion":
		return p.DriverVersion
	case "containerdVersion":
		return p.ContainerdVersion
	}
	return p.OS
}
