package blueprint

import (
	"fmt"
	"net/netip"
	"strconv"
	"strings"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/util/validation/field"

	"github.com/hybridkit/hybridkit/advice"
	"github.com/hybridkit/hybridkit/containerdconf"
	"github.com/hybridkit/hybridkit/cost"
	"github.com/hybridkit/hybridkit/dnsplan"
	"github.com/hybridkit/hybridkit/firewall"
	"github.com/hybridkit/hybridkit/gpu"
	ivalidation "github.com/hybridkit/hybridkit/internal/validation"
	"github.com/hybridkit/hybridkit/netplan"
	"github.com/hybridkit/hybridkit/nodeconfig"
	"github.com/hybridkit/hybridkit/storage"
)

// dnsPlan builds the DNS plan; errors carry blueprint paths.
func (b Blueprint) dnsPlan(host dnsplan.Domain) (dnsplan.Plan, pathMap, field.ErrorList) {
	var errs field.ErrorList
	endpoint := func(name string, e Endpoint, ep *field.Path) *dnsplan.Endpoint {
		if len(e.IPs) == 0 && e.SecurityGroupID == "" {
			return nil
		}
		out := &dnsplan.Endpoint{Name: b.Cluster.Name + "-" + name, SecurityGroupID: e.SecurityGroupID}
		for i, ip := range e.IPs {
			s, ok := b.subnet(ip.Subnet)
			if !ok {
				errs = append(errs, field.NotFound(ep.Child("ips").Index(i).Child("subnet"), ip.Subnet))
			}
			out.IPs = append(out.IPs, dnsplan.EndpointIP{IP: ip.IP, SubnetID: s.ID, Subnet: s.CIDR, AZ: s.AZ})
		}
		return out
	}
	p := dnsplan.Plan{
		Region:   b.Cluster.Region,
		VPCID:    b.VPC.ID,
		VPCCIDRs: []netip.Prefix{b.VPC.CIDR},
		Inbound:  endpoint("inbound", b.DNS.Inbound, field.NewPath("dns", "inbound")),
		Outbound: endpoint("outbound", b.DNS.Outbound, field.NewPath("dns", "outbound")),
		OnPrem:   dnsplan.OnPrem{Servers: b.DNS.Servers, ForwardToAWS: b.DNS.ForwardToAWS, DNSSECValidation: b.DNS.DNSSECValidation},
		Cluster: dnsplan.Cluster{EndpointHost: host, Access: b.Cluster.EndpointAccess, Family: dnsplan.IPv4,
			// Cloud pods take VPC addresses (the VPC CNI), hybrid pods the
			// remote pod network; services the service CIDR.
			Networks: validPrefixes(b.VPC.CIDR, b.Site.RemotePodNetwork, b.Cluster.ServiceCIDR)},
	}
	m := pathMap{{"region", "cluster.region"}, {"vpcId", "vpc.id"}, {"vpcCidrs", "vpc.cidr"}, {"inbound", "dns.inbound"}, {"outbound", "dns.outbound"},
		{"onPrem.servers", "dns.servers"}, {"onPrem.forwardToAws", "dns.forwardToAws"}, {"onPrem.forwardTargets", "dns.inbound"}, {"onPrem", "dns"},
		{"cluster.access", "cluster.endpointAccess"}, {"cluster", "cluster"}}
	for i, z := range b.DNS.Zones {
		zp := "dns.zones[" + strconv.Itoa(i) + "]"
		rp := "rules[" + strconv.Itoa(i) + "]"
		m = append(m, [2]string{rp + ".targets", "dns.servers"}, [2]string{rp, zp}, [2]string{rp + ".domain", zp}, [2]string{rp + ".vpcIds", zp}, [2]string{rp + ".vpcIds[0]", zp})
		for j := range 2 {
			for _, side := range []string{"inbound", "outbound"} {
				m = append(m, [2]string{side + ".ips[" + strconv.Itoa(j) + "].subnetId", "dns." + side + ".ips[" + strconv.Itoa(j) + "].subnet"})
			}
		}
		name := "onprem-" + strings.ReplaceAll(z.String(), ".", "-")
		if len(name) > 64 {
			name = name[:64]
		}
		var targets []dnsplan.Target
		for _, s := range b.DNS.Servers {
			targets = append(targets, dnsplan.Target{IP: s})
		}
		p.Rules = append(p.Rules, dnsplan.Rule{Name: name, Domain: z, Targets: targets})
	}
	p.Default()
	if len(errs) > 0 {
		// An endpoint address without its subnet cannot be checked further.
		return p, m, errs
	}
	errs = append(errs, m.translate(p.ValidateAt(nil))...)
	return p, m, errs
}

// firewall derives the rule sets and checks they carry every flow the
// other parts of the plan need.
func (o *built) firewall() (firewall.RuleSet, field.ErrorList) {
	b := o.bp
	creds := firewall.CredentialsSSM
	if b.Credentials.Provider == nodeconfig.ProviderIAMRolesAnywhere {
		creds = firewall.CredentialsIAMRolesAnywhere
	}
	// The tigera-operator always runs Typha, which calico-node on every
	// node reaches on TCP 5473 (https://docs.tigera.io/calico/latest/network-policy/comms/reduce-nodes).
	opts := firewall.ProfileOptions{Region: b.Cluster.Region, Credentials: creds, PodIdentity: b.Credentials.PodIdentity, CoreDNSInCloud: true, Install: true, Istio: b.Istio,
		CalicoTypha: b.CNI == netplan.CNICalico}
	if o.dns.Inbound != nil || o.dns.Outbound != nil {
		rf := &firewall.ResolverFlows{OnPremDNS: b.DNS.Servers}
		for _, ip := range b.DNS.Inbound.IPs {
			rf.InboundIPs = append(rf.InboundIPs, ip.IP)
		}
		for _, ip := range b.DNS.Outbound.IPs {
			rf.OutboundIPs = append(rf.OutboundIPs, ip.IP)
		}
		opts.Resolver = rf
	}
	rules, err := firewall.Profiles(o.plan, opts)
	if err != nil {
		return nil, field.ErrorList{field.InternalError(field.NewPath("site"), err)}
	}
	for _, e := range b.Storage {
		rules = firewall.Merge(rules, firewall.NFSProfile(o.plan, firewall.NFSShare{Server: e.Server, Version: e.NFSVersion, Clients: nfsClients(e.Placement)}))
	}
	if len(b.DNS.Zones) > 0 {
		rules = firewall.Merge(rules, firewall.StubDomainProfile(b.DNS.Servers, true))
	}
	// Every flow the rest of the bundle relies on must be in the rules.
	type need struct {
		path  string
		proto firewall.Protocol
		port  uint16
		to    firewall.Peer
		why   string
		from  firewall.Peer // zero: from anywhere
	}
	needs := []need{
		{"site.remoteNodeNetwork", firewall.ProtoTCP, 10250, firewall.PeerRole(netplan.RoleRemoteNode), "the control plane to the kubelet", firewall.Peer{}},
		{"vpc.subnets", firewall.ProtoTCP, 443, firewall.PeerClusterENIs(), "nodes and pods to the Kubernetes API", firewall.Peer{}},
		{"site.remotePodNetwork", firewall.ProtoUDP, 53, firewall.PeerRole(netplan.RoleRemotePod), "DNS to CoreDNS on hybrid nodes", firewall.Peer{}},
		{"site.remotePodNetwork", firewall.ProtoTCP, 53, firewall.PeerRole(netplan.RoleRemotePod), "DNS over TCP to CoreDNS on hybrid nodes", firewall.Peer{}},
	}
	if b.CNI == netplan.CNICilium {
		needs = append(needs, need{"cni", firewall.ProtoUDP, 8472, firewall.PeerRole(netplan.RoleRemoteNode), "Cilium VXLAN between nodes", firewall.Peer{}})
	}
	for i, e := range b.Storage {
		for _, c := range nfsClients(e.Placement) {
			needs = append(needs, need{"storage[" + strconv.Itoa(i) + "].server", firewall.ProtoTCP, 2049, firewall.PeerHost(e.Server), "NFS to " + e.Server.String() + " from " + c.String(), c})
		}
	}
	if len(b.DNS.Zones) > 0 {
		for _, ip := range b.DNS.Servers {
			for _, proto := range []firewall.Protocol{firewall.ProtoUDP, firewall.ProtoTCP} {
				needs = append(needs, need{"dns.servers", proto, 53, firewall.PeerHost(ip), "CoreDNS on cloud nodes to the site's DNS server " + ip.String() + " (the Corefile's stub domains)", firewall.PeerRole(netplan.RoleVPC)})
			}
		}
	}
	for _, ip := range b.DNS.Servers {
		if o.dns.Outbound != nil {
			needs = append(needs, need{"dns.servers", firewall.ProtoUDP, 53, firewall.PeerHost(ip), "the outbound endpoint to the site's DNS server " + ip.String(), firewall.Peer{}})
		}
	}
	var errs field.ErrorList
	for _, n := range needs {
		if !rules.Allows(n.proto, firewall.Port(n.port), n.from, n.to) {
			errs = append(errs, field.Invalid(field.NewPath(n.path), n.to.String(), fmt.Sprintf("no firewall rule allows %s %d (%s)", n.proto, n.port, n.why)))
		}
	}
	o.findings = append(o.findings, advice.WithPrefix("firewall", firewall.LintRules(rules))...)
	return rules, errs
}

// Finding codes of Render for credentials that do not exist yet.
const (
	CodeNoActivation = "blueprint/no-activation"
	CodeNoProfile    = "blueprint/no-profile"
)

// refCredentials is how hybrid nodes get AWS credentials: an SSM hybrid
// activation or an IAM Roles Anywhere profile (EKS User Guide,
// hybrid-nodes-creds).
const refCredentials = "https://docs.aws.amazon.com/eks/latest/userguide/hybrid-nodes-creds.html"

// nfsClients are the peers that mount an export placed p: the nodes'
// addresses (NFS mounts happen in the node's network namespace) — cloud
// nodes in the VPC, hybrid nodes in the remote node network.
func nfsClients(p storage.Placement) []firewall.Peer {
	switch p {
	case storage.HybridOnly:
		return []firewall.Peer{firewall.PeerRole(netplan.RoleRemoteNode)}
	case storage.CloudOnly:
		return []firewall.Peer{firewall.PeerRole(netplan.RoleVPC)}
	}
	return []firewall.Peer{firewall.PeerRole(netplan.RoleVPC), firewall.PeerRole(netplan.RoleRemoteNode)}
}

// identityAndNodes builds the AWS identity and one NodeConfig per node.
func (o *built) identityAndNodes() field.ErrorList {
	b := o.bp
	var errs field.ErrorList
	cp := field.NewPath("credentials")
	id := nodeconfig.Identity{ClusterName: b.Cluster.Name, Region: b.Cluster.Region, AccountID: b.Cluster.AccountID, Provider: b.Credentials.Provider, PodIdentity: b.Credentials.PodIdentity}
	ready := false // the AWS outputs the NodeConfigs need are present
	switch b.Credentials.Provider {
	case nodeconfig.ProviderSSM:
		s := b.Credentials.SSM
		if s == nil {
			s = &SSMCredentials{}
		}
		id.Activation = &nodeconfig.Activation{RegistrationLimit: b.totalNodes(), Expiration: s.Expiration}
		switch {
		case s.ActivationID == "" && s.ActivationCode == "":
			o.findings = append(o.findings, advice.Finding{Level: advice.Warning, Code: CodeNoActivation, Field: "credentials.ssm", Ref: refCredentials,
				Message: "no SSM activation yet, so the bundle has no NodeConfigs: run aws/04-identity.sh, store the activation code in your secret store, and render again with credentials.ssm.activationId and activationCode"})
		case s.ActivationID == "":
			errs = append(errs, field.Required(cp.Child("ssm", "activationId"), "the activation ID that goes with the activation code"))
		case s.ActivationCode == "":
			errs = append(errs, field.Required(cp.Child("ssm", "activationCode"), "the activation code that goes with the activation ID"))
		default:
			ready = true
		}
		if b.Credentials.IAMRolesAnywhere != nil {
			errs = append(errs, field.Forbidden(cp.Child("iamRolesAnywhere"), "the provider is ssm"))
		}
	case nodeconfig.ProviderIAMRolesAnywhere:
		ra := b.Credentials.IAMRolesAnywhere
		if ra == nil {
			errs = append(errs, field.Required(cp.Child("iamRolesAnywhere"), "the trust anchor"))
			break
		}
		id.RolesAnywhere = &nodeconfig.RolesAnywhere{TrustAnchorARN: ra.TrustAnchorARN}
		if ra.ProfileARN == "" {
			o.findings = append(o.findings, advice.Finding{Level: advice.Warning, Code: CodeNoProfile, Field: "credentials.iamRolesAnywhere.profileArn", Ref: refCredentials,
				Message: "no IAM Roles Anywhere profile yet, so the bundle has no NodeConfigs: run aws/04-identity.sh and render again with its profile ARN"})
		} else {
			ready = true
		}
		if b.Credentials.SSM != nil {
			errs = append(errs, field.Forbidden(cp.Child("ssm"), "the provider is iam-roles-anywhere"))
		}
	}
	id.Default()
	errs = append(errs, pathMap{{"clusterName", "cluster.name"}, {"region", "cluster.region"}, {"accountId", "cluster.accountId"}, {"provider", "credentials.provider"},
		{"activation.registrationLimit", "nodePools"}, {"activation", "credentials.ssm"}, {"rolesAnywhere", "credentials.iamRolesAnywhere"}}.translate(id.ValidateAt(nil))...)
	o.identity = id
	if !ready || len(errs) > 0 {
		return errs
	}
	pause, _ := containerdconf.EKSPauseImage(b.Cluster.Region, containerdconf.NodeadmPauseTag)
	root, err := containerdconf.Render(containerdconf.NodeadmRoot(pause))
	if err != nil {
		return append(errs, field.InternalError(field.NewPath("nodePools"), err))
	}
	linted := map[int]bool{}
	for k := range o.nodes {
		n := &o.nodes[k]
		pool := b.NodePools[n.pool]
		pp := field.NewPath("nodePools").Index(n.pool)
		var c nodeconfig.NodeConfig
		if b.Credentials.Provider == nodeconfig.ProviderSSM {
			c = nodeconfig.NewSSM(b.Cluster.Name, b.Cluster.Region, b.Credentials.SSM.ActivationCode, b.Credentials.SSM.ActivationID)
		} else {
			c = nodeconfig.NewIAMRolesAnywhere(b.Cluster.Name, b.Cluster.Region, nodeconfig.IAMRolesAnywhere{
				NodeName: n.name, TrustAnchorARN: b.Credentials.IAMRolesAnywhere.TrustAnchorARN, ProfileARN: b.Credentials.IAMRolesAnywhere.ProfileARN, RoleARN: id.RoleARN()})
		}
		c.Spec.Kubelet.NodeLabels = poolLabels(b, pool)
		c.Spec.Kubelet.Flags = []string{"--node-ip=" + n.addr.String()}
		if pool.GPU != nil {
			c.Spec.Kubelet.Taints = []corev1.Taint{gpu.NodeTaint()}
			dropIn, err := gpu.RenderContainerd(gpu.TargetNodeadmDropIn, gpu.DefaultContainerdOptions(gpu.TargetNodeadmDropIn, b.Cluster.Region))
			if err != nil {
				errs = append(errs, field.Invalid(pp.Child("gpu"), pool.GPU.Model, err.Error()))
				continue
			}
			// The drop-in must hold up on top of nodeadm's root config.
			fs, err := gpu.CheckContainerdDropIn(dropIn, root)
			if err != nil {
				errs = append(errs, field.Invalid(pp.Child("gpu"), pool.GPU.Model, err.Error()))
			}
			for _, f := range fs {
				switch {
				case f.Level == advice.Error:
					errs = append(errs, field.Invalid(pp.Child("gpu"), pool.GPU.Model, "the NVIDIA containerd drop-in: "+f.Message))
				case !linted[n.pool]:
					f.Field, f.Message = pp.Child("gpu").String(), "the NVIDIA containerd drop-in on nodeadm's root config: "+f.Message
					o.findings = append(o.findings, f)
				}
			}
			c.Spec.Containerd.Config = string(dropIn)
		}
		c.Default()
		if err := c.Validate(); err != nil {
			for _, e := range ivalidation.FieldErrorsAt(pp, err) {
				errs = append(errs, field.Invalid(pp, n.name, e.Error()))
			}
			continue
		}
		if !linted[n.pool] {
			linted[n.pool] = true
			o.findings = append(o.findings, advice.WithPrefix(pp.Child("nodeConfig").String(), c.Lint())...)
		}
		n.config = &c
	}
	return errs
}

// costs estimates the month, the scenarios, the cloud comparison and the
// converted total.
func (o *built) costs() field.ErrorList {
	b := o.bp
	pp := field.NewPath("pricing")
	var table cost.PriceTable
	switch b.Pricing.Table {
	case PricingTiered:
		table = cost.HybridNodesPricing()
	case PricingGuideFlat:
		table = cost.GuidePricing()
	default:
		return field.ErrorList{field.NotSupported(pp.Child("table"), b.Pricing.Table, []string{PricingTiered, PricingGuideFlat})}
	}
	in := cost.Input{MonthHours: b.Pricing.MonthHours, Pricing: table, ClusterFee: &cost.ClusterFee{Clusters: 1, Rate: cost.StandardClusterRate()}}
	m := pathMap{{"monthHours", "pricing.monthHours"}, {"pricing", "pricing.table"}}
	for i, p := range b.NodePools {
		in.Groups = append(in.Groups, cost.NodeGroup{Server: p.server(), Count: max(p.Count, 1), HoursPerMonth: p.HoursPerMonth})
		m = append(m, [2]string{"groups[" + strconv.Itoa(i) + "].server", "nodePools[" + strconv.Itoa(i) + "].cpu"}, [2]string{"groups[" + strconv.Itoa(i) + "]", "nodePools[" + strconv.Itoa(i) + "]"})
	}
	e, err := cost.Compute(in)
	if err != nil {
		return m.translate(ivalidation.FieldErrorsAt(pp, err))
	}
	o.estimate = e
	o.findings = append(o.findings, withFields(e.Findings, m)...)
	rs, err := cost.CompareScenarios(cost.Scenarios(in, 12*22))
	if err != nil {
		return field.ErrorList{field.Invalid(pp, "", err.Error())}
	}
	o.scenarios = rs
	var errs field.ErrorList
	owned := cost.OwnedCosts{}
	if b.Pricing.Owned != nil {
		owned = *b.Pricing.Owned
		errs = append(errs, owned.ValidateAt(pp.Child("owned"))...)
	}
	for i, c := range b.Pricing.Cloud {
		errs = append(errs, c.ValidateAt(pp.Child("cloud").Index(i))...)
	}
	// Each GPU pool against the instances with its GPUs (the estimate's
	// groups are the pools, in order).
	for gi, p := range b.NodePools {
		if p.GPU == nil || len(b.Pricing.Cloud) == 0 || len(errs) > 0 {
			continue
		}
		cmp, err := cost.Compare(e, gi, owned, b.Pricing.Cloud)
		if err != nil {
			errs = append(errs, pathMap{{"cloud", "pricing.cloud"}, {"owned", "pricing.owned"}, {"groups[" + strconv.Itoa(gi) + "]", "nodePools[" + strconv.Itoa(gi) + "]"}}.translate(ivalidation.FieldErrorsAt(pp, err))...)
			continue
		}
		if len(cmp.Cloud) > 0 {
			o.comparisons = append(o.comparisons, cmp)
		}
	}
	if b.Pricing.Currency != "" || b.Pricing.CurrencyRate != "" {
		decimals := 2
		if b.Pricing.Currency == "KRW" || b.Pricing.Currency == "JPY" {
			decimals = 0
		}
		rate, err := cost.ParseExchangeRate(b.Pricing.Currency, decimals, b.Pricing.CurrencyRate)
		if err != nil {
			errs = append(errs, field.Invalid(pp.Child("currencyRate"), b.Pricing.CurrencyRate, strings.TrimPrefix(err.Error(), "cost: ")))
		} else if a, err := rate.Convert(e.Total); err != nil {
			errs = append(errs, field.Invalid(pp.Child("currencyRate"), b.Pricing.CurrencyRate, "converting the total: "+strings.TrimPrefix(err.Error(), "cost: ")))
		} else {
			o.converted = &a
		}
	}
	return errs
}

// validPrefixes returns the valid, canonical prefixes among ps.
func validPrefixes(ps ...netip.Prefix) []netip.Prefix {
	var out []netip.Prefix
	for _, p := range ps {
		if p.IsValid() && p.Masked() == p {
			out = append(out, p)
		}
	}
	return out
}
