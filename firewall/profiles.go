package firewall

import (
	"fmt"
	"net/netip"
	"slices"

	"k8s.io/apimachinery/pkg/util/validation/field"

	"github.com/hybridkit/hybridkit/advice"
	ivalidation "github.com/hybridkit/hybridkit/internal/validation"
	"github.com/hybridkit/hybridkit/netplan"
)

// Finding codes of LintRules.
const (
	CodeKubeletDirection advice.Code = "firewall/kubelet-port-direction"
	CodeAPIPort6443      advice.Code = "firewall/api-port-6443"
	CodeIstioMixer       advice.Code = "firewall/istio-15004"
	// CodeIstioInPod: 15001 or 15006, the sidecar's redirect targets,
	// which traffic reaches only inside the pod.
	CodeIstioInPod      advice.Code = "firewall/istio-in-pod-port"
	CodeCalicoFelixPort advice.Code = "firewall/calico-9099"
	// CodeOnPremSecurityGroup: a rule names the hybrid side by a security
	// group, which can hold no hybrid node.
	CodeOnPremSecurityGroup advice.Code = "firewall/on-prem-security-group"
)

// CodeFlowNotAllowed is the finding for a flow a deployment makes (its
// configs send it, or EKS needs it) that no firewall rule lets through.
const CodeFlowNotAllowed advice.Code = "firewall/flow-not-allowed"

func finding(l advice.Level, code advice.Code, at *field.Path, msg, ref string) advice.Finding {
	return advice.Finding{Level: l, Code: code, Field: at.String(), Message: msg, Ref: ref}
}

// Sources of the profiles.
const (
	refEKSNetworking = "https://docs.aws.amazon.com/eks/latest/userguide/hybrid-nodes-networking.html (on-premises networking configuration, ongoing cluster operations)"
	refNodeadmPorts  = "https://github.com/aws/eks-hybrid/blob/e5f42ca4e2df0eb7d3da467a4a73444d9d952cd0/internal/system/ports.go"
	refCilium        = "https://docs.cilium.io/en/stable/operations/system_requirements/#firewall-rules"
	refCalico        = "https://docs.tigera.io/calico/latest/getting-started/kubernetes/requirements (network requirements)"
	refIstio         = "https://istio.io/latest/docs/ops/deployment/application-requirements/#ports-used-by-istio"
	// NFSv4 uses port 2049 (RFC 7530 §3.1); NFSv3 adds rpcbind 111 and
	// mountd (RFC 1813, nfs(5)).
	refNFS = "https://www.rfc-editor.org/rfc/rfc7530#section-3.1"
	// An endpoint's security group must allow TCP and UDP 53.
	refResolver = "https://docs.aws.amazon.com/Route53/latest/APIReference/API_route53resolver_CreateResolverEndpoint.html"
)

// Credentials is how hybrid nodes get AWS credentials.
type Credentials string

// Credential providers (nodeconfig.HybridOptions).
const (
	CredentialsSSM              Credentials = "ssm"
	CredentialsIAMRolesAnywhere Credentials = "iam-ra"
)

// ProfileOptions choose the rule sets Profiles generates.
type ProfileOptions struct {
	// Region names the AWS endpoints ("ap-northeast-2"). Required.
	Region string `json:"region"`
	// Credentials is ssm or iam-ra. Required.
	Credentials Credentials `json:"credentials"`
	// IRSA and PodIdentity add the pods' STS and the nodes' EKS Auth egress.
	IRSA        bool `json:"irsa,omitempty"`
	PodIdentity bool `json:"podIdentity,omitempty"`
	// WebhookPorts are the ports of admission webhooks running on hybrid
	// pods, which the EKS control plane calls; default 443, 8443 and 9443
	// (common webhook ports; controller-runtime listens on 9443).
	WebhookPorts []uint16 `json:"webhookPorts,omitempty"`
	// CoreDNSInCloud is set when a CoreDNS replica runs in the VPC, as AWS
	// recommends for mixed clusters: DNS then crosses the link.
	CoreDNSInCloud bool `json:"coreDnsInCloud,omitempty"`
	// Install adds the HTTPS egress nodeadm install and upgrade need.
	Install bool `json:"install,omitempty"`
	// CiliumWireGuard adds Cilium's WireGuard port.
	CiliumWireGuard bool `json:"ciliumWireGuard,omitempty"`
	// CalicoEncapsulation is vxlan (default) or ipip; CalicoBGP and
	// CalicoTypha add their ports.
	CalicoEncapsulation string `json:"calicoEncapsulation,omitempty"`
	CalicoBGP           bool   `json:"calicoBgp,omitempty"`
	CalicoTypha         bool   `json:"calicoTypha,omitempty"`
	// Istio adds the Istio ports that cross the network.
	Istio bool `json:"istio,omitempty"`
	// NFS adds the flows to an on-premises NFS server.
	NFS *NFSShare `json:"nfs,omitempty"`
	// Resolver adds the flows of Route 53 Resolver endpoints.
	Resolver *ResolverFlows `json:"resolver,omitempty"`
}

// NFSShare describes an NFS server and who mounts it.
type NFSShare struct {
	Server netip.Addr `json:"server"`
	// Version is 3 or 4 (default 4).
	Version int `json:"version,omitempty"`
	// MountdPort is mountd's fixed port for NFSv3 (default 20048, the port
	// Linux distributions pin it to).
	MountdPort uint16 `json:"mountdPort,omitempty"`
	// Clients mount the share; default the VPC (cloud nodes) and the
	// remote node network (hybrid nodes). The kubelet and the NFS CSI node
	// plugin mount in the node's own network namespace, so the client
	// address is the node's, never a pod's.
	Clients []Peer `json:"clients,omitempty"`
}

// ResolverFlows describe DNS between Route 53 Resolver endpoints and the
// on-premises DNS servers.
type ResolverFlows struct {
	// InboundIPs are the inbound endpoint's addresses (on-prem → AWS).
	InboundIPs []netip.Addr `json:"inboundIps,omitempty"`
	// OutboundIPs are the outbound endpoint's addresses (AWS → on-prem),
	// or empty when they are chosen by AWS (the subnets are used).
	OutboundIPs []netip.Addr `json:"outboundIps,omitempty"`
	// OnPremDNS are the on-premises DNS servers.
	OnPremDNS []netip.Addr `json:"onPremDns"`
}

// Validate returns nil, or every problem with its JSON path (ValidateAt).
func (o ProfileOptions) Validate() error { return ivalidation.ToError("firewall", o.ValidateAt(nil)) }

// ValidateAt checks the options.
func (o ProfileOptions) ValidateAt(fp *field.Path) field.ErrorList {
	var errs field.ErrorList
	errs = append(errs, ivalidation.Region(fp.Child("region"), o.Region)...)
	switch o.Credentials {
	case CredentialsSSM, CredentialsIAMRolesAnywhere:
	default:
		errs = append(errs, field.NotSupported(fp.Child("credentials"), o.Credentials, []Credentials{CredentialsSSM, CredentialsIAMRolesAnywhere}))
	}
	for i, p := range o.WebhookPorts {
		if p == 0 {
			errs = append(errs, field.Invalid(fp.Child("webhookPorts").Index(i), 0, "ports are 1 to 65535"))
		}
	}
	switch o.CalicoEncapsulation {
	case "", "vxlan", "ipip":
	default:
		errs = append(errs, field.NotSupported(fp.Child("calicoEncapsulation"), o.CalicoEncapsulation, []string{"vxlan", "ipip"}))
	}
	if n := o.NFS; n != nil {
		np := fp.Child("nfs")
		if !n.Server.Is4() {
			errs = append(errs, field.Invalid(np.Child("server"), n.Server.String(), "must be an IPv4 address"))
		}
		if n.Version != 0 && n.Version != 3 && n.Version != 4 {
			errs = append(errs, field.NotSupported(np.Child("version"), n.Version, []string{"3", "4"}))
		}
	}
	if r := o.Resolver; r != nil {
		rp := fp.Child("resolver")
		if len(r.OnPremDNS) == 0 {
			errs = append(errs, field.Required(rp.Child("onPremDns"), "the on-premises DNS servers"))
		}
		for name, as := range map[string][]netip.Addr{"inboundIps": r.InboundIPs, "outboundIps": r.OutboundIPs, "onPremDns": r.OnPremDNS} {
			for i, a := range as {
				if !a.Is4() {
					errs = append(errs, field.Invalid(rp.Child(name).Index(i), a.String(), "must be an IPv4 address"))
				}
			}
		}
	}
	return errs
}

func rule(profile string, proto Protocol, ports PortRange, dir Direction, from, to Peer, required bool, purpose, ref string) Rule {
	return Rule{Protocol: proto, Ports: ports, Direction: dir, From: from, To: to, Required: required, Purpose: purpose, Ref: ref, Profile: profile}
}

// Profiles generates the merged rule set of a deployment from its plan:
// EKS hybrid core, the node host firewall, the CNI's ports (Cilium or
// Calico, from plan.CNI), and Istio, NFS and Route 53 Resolver flows when
// asked. Invalid options or a plan without the networks a rule needs are
// errors.
func Profiles(plan netplan.Plan, o ProfileOptions) (RuleSet, error) {
	plan.Default()
	if errs := o.ValidateAt(nil); len(errs) > 0 {
		return nil, ivalidation.ToError("firewall", errs)
	}
	sets := []RuleSet{CoreProfile(plan, o), NodeHostProfile()}
	if plan.CNI == netplan.CNICalico {
		sets = append(sets, CalicoProfile(o))
	} else {
		sets = append(sets, CiliumProfile(o))
	}
	if o.Istio {
		sets = append(sets, IstioProfile())
	}
	if o.NFS != nil {
		sets = append(sets, NFSProfile(plan, *o.NFS))
	}
	if o.Resolver != nil {
		sets = append(sets, ResolverProfile(*o.Resolver))
	}
	rs := Merge(sets...)
	if errs := rs.ValidateAt(field.NewPath("rules"), plan); len(errs) > 0 {
		return nil, ivalidation.ToError("firewall", errs)
	}
	return rs, nil
}

// CoreProfile is the EKS Hybrid Nodes "ongoing cluster operations" table:
// nodes and pods reach the API server on 443, the control plane reaches the
// kubelet on 10250 and webhooks on the pod network, pods resolve names on
// 53, and nodes refresh credentials over HTTPS. Rules that need a remote pod
// network are left out when the plan has none.
func CoreProfile(plan netplan.Plan, o ProfileOptions) RuleSet {
	const p = "eks-hybrid"
	node, pod, cluster := PeerRole(netplan.RoleRemoteNode), PeerRole(netplan.RoleRemotePod), PeerClusterENIs()
	hasPods := len(plan.ByRole(netplan.RoleRemotePod)) > 0
	rs := RuleSet{
		rule(p, ProtoTCP, Port(443), Outbound, node, cluster, true, "kubelet and kube-proxy to the EKS API server", refEKSNetworking),
		rule(p, ProtoTCP, Port(10250), Inbound, cluster, node, true, "EKS control plane to the kubelet (logs, exec, port-forward)", refEKSNetworking),
	}
	switch o.Credentials {
	case CredentialsSSM:
		rs = append(rs, rule(p, ProtoTCP, Port(443), Outbound, node, PeerEndpoint("ssm."+o.Region+".amazonaws.com"), true, "SSM credential refresh and heartbeat", refEKSNetworking))
	case CredentialsIAMRolesAnywhere:
		rs = append(rs, rule(p, ProtoTCP, Port(443), Outbound, node, PeerEndpoint("rolesanywhere."+o.Region+".amazonaws.com"), true, "IAM Roles Anywhere credential refresh", refEKSNetworking))
	}
	if o.PodIdentity {
		rs = append(rs, rule(p, ProtoTCP, Port(443), Outbound, node, PeerEndpoint("eks-auth."+o.Region+".api.aws"), false, "EKS Pod Identity agent to EKS Auth", refEKSNetworking))
	}
	if o.Install {
		for _, h := range []string{"hybrid-assets.eks.amazonaws.com", "eks." + o.Region + ".amazonaws.com", "api.ecr." + o.Region + ".amazonaws.com"} {
			rs = append(rs, rule(p, ProtoTCP, Port(443), Outbound, node, PeerEndpoint(h), false, "nodeadm install and upgrade", refEKSNetworking))
		}
	}
	if hasPods {
		rs = append(rs,
			rule(p, ProtoTCP, Port(443), Outbound, pod, cluster, true, "pods to the EKS API server", refEKSNetworking),
			rule(p, ProtoTCP, Port(53), Internal, pod, pod, true, "DNS between pods and CoreDNS", refEKSNetworking),
			rule(p, ProtoUDP, Port(53), Internal, pod, pod, true, "DNS between pods and CoreDNS", refEKSNetworking),
		)
		ports := o.WebhookPorts
		if len(ports) == 0 {
			ports = []uint16{443, 8443, 9443}
		}
		for _, port := range ports {
			rs = append(rs, rule(p, ProtoTCP, Port(port), Inbound, cluster, pod, false, "EKS control plane to admission webhooks on hybrid pods", refEKSNetworking))
		}
		if o.IRSA {
			rs = append(rs, rule(p, ProtoTCP, Port(443), Outbound, pod, PeerEndpoint("sts."+o.Region+".amazonaws.com"), false, "IRSA: pods to STS", refEKSNetworking))
		}
		if o.CoreDNSInCloud {
			vpc := PeerRole(netplan.RoleVPC)
			for _, proto := range []Protocol{ProtoTCP, ProtoUDP} {
				rs = append(rs,
					rule(p, proto, Port(53), Outbound, pod, vpc, true, "DNS from hybrid pods to the CoreDNS replica in the VPC", refEKSNetworking),
					rule(p, proto, Port(53), Inbound, vpc, pod, true, "DNS from cloud pods to the CoreDNS replica on hybrid nodes", refEKSNetworking),
				)
			}
		}
	}
	return rs
}

// NodeHostProfile is what nodeadm opens in an active firewalld or ufw on
// the node: the kubelet, kube-proxy's health check and the NodePort range.
func NodeHostProfile() RuleSet {
	const p = "node-host"
	node := PeerRole(netplan.RoleRemoteNode)
	any := Peer{Any: true}
	return RuleSet{
		rule(p, ProtoTCP, Port(10250), Inbound, PeerClusterENIs(), node, true, "EKS control plane to the kubelet (logs, exec, port-forward)", refNodeadmPorts),
		rule(p, ProtoTCP, Port(10256), Internal, node, node, false, "kube-proxy health check", refNodeadmPorts),
		rule(p, ProtoTCP, Ports(30000, 32767), Inbound, any, node, false, "NodePort services", refNodeadmPorts),
	}
}

// CiliumProfile is Cilium's node-to-node traffic: VXLAN (the mode EKS
// Hybrid Nodes use), health checks, and WireGuard when enabled.
func CiliumProfile(o ProfileOptions) RuleSet {
	const p = "cilium"
	node := PeerRole(netplan.RoleRemoteNode)
	echo := uint8(8)
	rs := RuleSet{
		rule(p, ProtoUDP, Port(8472), Internal, node, node, true, "Cilium VXLAN overlay", refCilium),
		rule(p, ProtoTCP, Port(4240), Internal, node, node, false, "Cilium health checks", refCilium),
		{Protocol: ProtoICMP, ICMPType: &echo, Direction: Internal, From: node, To: node, Purpose: "Cilium health checks (echo request)", Ref: refCilium, Profile: p},
	}
	if o.CiliumWireGuard {
		rs = append(rs, rule(p, ProtoUDP, Port(51871), Internal, node, node, true, "Cilium WireGuard encryption", refCilium))
	}
	return rs
}

// CalicoProfile is Calico's node-to-node traffic: VXLAN 4789 or IP-in-IP,
// BGP 179 and Typha 5473 when used (installs by the tigera-operator always
// run Typha). Felix's health port 9099 and metrics
// port 9091 stay on the node and need no rule across the network.
func CalicoProfile(o ProfileOptions) RuleSet {
	const p = "calico"
	node := PeerRole(netplan.RoleRemoteNode)
	var rs RuleSet
	if o.CalicoEncapsulation == "ipip" {
		rs = append(rs, rule(p, ProtoIPIP, PortRange{}, Internal, node, node, true, "Calico IP-in-IP overlay", refCalico))
	} else {
		rs = append(rs, rule(p, ProtoUDP, Port(4789), Internal, node, node, true, "Calico VXLAN overlay", refCalico))
	}
	if o.CalicoBGP {
		rs = append(rs, rule(p, ProtoTCP, Port(179), Internal, node, node, true, "Calico BGP peering", refCalico))
	}
	if o.CalicoTypha {
		rs = append(rs, rule(p, ProtoTCP, Port(5473), Internal, node, node, true, "Felix to Typha", refCalico))
	}
	return rs
}

// IstioProfile is the Istio ports that cross the network (not 15001 and
// 15006, the in-pod redirect targets, nor 15004, a debug port reachable only
// inside the pod since Mixer was removed in Istio 1.8).
func IstioProfile() RuleSet {
	const p = "istio"
	pod := PeerRole(netplan.RoleRemotePod)
	return RuleSet{
		rule(p, ProtoTCP, Port(15008), Internal, pod, pod, true, "Istio HBONE mTLS tunnel between workloads", refIstio),
		rule(p, ProtoTCP, Port(15010), Internal, pod, pod, false, "istiod xDS (plaintext)", refIstio),
		rule(p, ProtoTCP, Port(15012), Internal, pod, pod, true, "istiod xDS and CA (mTLS)", refIstio),
		rule(p, ProtoTCP, Port(15014), Internal, pod, pod, false, "istiod monitoring", refIstio),
		rule(p, ProtoTCP, Port(15017), Inbound, PeerClusterENIs(), pod, true, "EKS control plane to the istiod webhooks (service port 443)", refIstio),
		rule(p, ProtoTCP, Port(15020), Internal, pod, pod, false, "sidecar merged Prometheus metrics", refIstio),
		rule(p, ProtoTCP, Port(15021), Internal, pod, pod, false, "sidecar health checks", refIstio),
		rule(p, ProtoTCP, Port(15090), Internal, pod, pod, false, "Envoy Prometheus telemetry", refIstio),
	}
}

// NFSProfile is the flows to an on-premises NFS server: 2049, and for NFSv3
// rpcbind (111) and mountd.
func NFSProfile(plan netplan.Plan, n NFSShare) RuleSet {
	const p = "nfs"
	server := PeerHost(n.Server)
	clients := n.Clients
	if len(clients) == 0 {
		clients = []Peer{PeerRole(netplan.RoleVPC)}
		if len(plan.ByRole(netplan.RoleRemoteNode)) > 0 {
			clients = append(clients, PeerRole(netplan.RoleRemoteNode))
		}
	}
	var rs RuleSet
	for _, c := range clients {
		dir := Inbound
		if c.Role == netplan.RoleRemotePod || c.Role == netplan.RoleRemoteNode {
			dir = Internal
		}
		rs = append(rs, rule(p, ProtoTCP, Port(2049), dir, c, server, true, "NFS", refNFS))
		if n.Version == 3 {
			mountd := n.MountdPort
			if mountd == 0 {
				mountd = 20048
			}
			for _, proto := range []Protocol{ProtoTCP, ProtoUDP} {
				rs = append(rs,
					rule(p, proto, Port(111), dir, c, server, true, "NFSv3 rpcbind", refNFS),
					rule(p, proto, Port(mountd), dir, c, server, true, "NFSv3 mountd", refNFS))
			}
		}
	}
	return rs
}

// ResolverProfile is DNS between the Route 53 Resolver endpoints and the
// on-premises DNS servers: on-prem → inbound endpoint, outbound endpoint →
// on-prem, TCP and UDP 53.
func ResolverProfile(r ResolverFlows) RuleSet {
	const p = "route53-resolver"
	var rs RuleSet
	for _, dns := range r.OnPremDNS {
		for _, in := range r.InboundIPs {
			for _, proto := range []Protocol{ProtoTCP, ProtoUDP} {
				rs = append(rs, rule(p, proto, Port(53), Outbound, PeerHost(dns), PeerHost(in), true, "on-premises DNS to the Route 53 Resolver inbound endpoint", refResolver))
			}
		}
		outs := r.OutboundIPs
		for _, out := range outs {
			for _, proto := range []Protocol{ProtoTCP, ProtoUDP} {
				rs = append(rs, rule(p, proto, Port(53), Inbound, PeerHost(out), PeerHost(dns), true, "Route 53 Resolver outbound endpoint to on-premises DNS", refResolver))
			}
		}
		if len(outs) == 0 {
			for _, proto := range []Protocol{ProtoTCP, ProtoUDP} {
				rs = append(rs, rule(p, proto, Port(53), Inbound, PeerRole(netplan.RoleSubnet), PeerHost(dns), true, "Route 53 Resolver outbound endpoint to on-premises DNS", refResolver))
			}
		}
	}
	return rs
}

// StubDomainProfile is CoreDNS forwarding the on-premises zones (the
// Corefile's stub domains) to the site's DNS servers, TCP and UDP 53, from
// where its replicas run: cloud nodes give them VPC addresses, hybrid
// nodes remote pod network addresses (hybridPods).
func StubDomainProfile(servers []netip.Addr, hybridPods bool) RuleSet {
	const p = "coredns-stub-domains"
	const ref = "https://coredns.io/plugins/forward/"
	var rs RuleSet
	for _, dns := range servers {
		for _, proto := range []Protocol{ProtoTCP, ProtoUDP} {
			rs = append(rs, rule(p, proto, Port(53), Inbound, PeerRole(netplan.RoleVPC), PeerHost(dns), true, "CoreDNS replicas on cloud nodes forward the on-premises zones", ref))
			if hybridPods {
				rs = append(rs, rule(p, proto, Port(53), Internal, PeerRole(netplan.RoleRemotePod), PeerHost(dns), true, "CoreDNS replicas on hybrid nodes forward the on-premises zones", ref))
			}
		}
	}
	return rs
}

// LintRules reports rules that repeat the adoption guide's mistakes: the
// kubelet port only in the outbound direction, 6443 towards EKS (its
// endpoint listens on 443 only), Istio's 15004 (Mixer, removed in 1.8)
// and its in-pod redirect ports 15001 and 15006,
// Calico's 9099 labelled as metrics (it is Felix's health port), and a
// security group as the on-premises end of a flow.
func LintRules(rs RuleSet) []advice.Finding {
	var fs []advice.Finding
	kubeletIn := false
	for _, r := range rs {
		if r.Protocol == ProtoTCP && r.Ports.covers(10250) && r.Direction == Inbound {
			kubeletIn = true
		}
	}
	for i, r := range rs {
		at := field.NewPath("rules").Index(i)
		switch {
		case r.Protocol == ProtoTCP && r.Ports == Port(10250) && r.Direction == Outbound && !kubeletIn:
			fs = append(fs, finding(advice.Warning, CodeKubeletDirection, at, "TCP 10250 is allowed only from the hybrid side outwards; the EKS control plane connects to the kubelet, so the rule must admit 10250 inbound to the remote node network from the cluster ENIs", refEKSNetworking))
		case r.Protocol == ProtoTCP && r.Ports == Port(6443):
			fs = append(fs, finding(advice.Warning, CodeAPIPort6443, at, "the EKS API endpoint listens on 443 only; a 6443 rule opens a port nothing uses", refEKSNetworking))
		case r.Protocol == ProtoTCP && r.Ports == Port(15004):
			fs = append(fs, finding(advice.Warning, CodeIstioMixer, at, "15004 was Mixer's policy port, removed in Istio 1.8; today it is a debug port reachable only inside the pod and needs no firewall rule", refIstio))
		case r.Protocol == ProtoTCP && (r.Ports == Port(15001) || r.Ports == Port(15006)):
			fs = append(fs, finding(advice.Info, CodeIstioInPod, at, fmt.Sprintf("%d is where the sidecar's iptables rules redirect the pod's own traffic, inside the pod: it needs no firewall rule (the mesh's traffic between pods uses the application's ports, or 15008 with HBONE)", r.Ports.First), refIstio))
		case r.Protocol == ProtoTCP && r.Ports == Port(9099):
			fs = append(fs, finding(advice.Info, CodeCalicoFelixPort, at, "9099 is Felix's health port, checked on the node itself; Felix metrics are 9091", refCalico))
		}
		if h := r.hybridEnd(); slices.ContainsFunc(h, Peer.isSecurityGroup) {
			fs = append(fs, finding(advice.Error, CodeOnPremSecurityGroup, at, "the on-premises end of this rule is a security group: hybrid nodes have no network interfaces in the VPC, so no security group holds them and the rule matches no traffic; name the remote node or pod network as a CIDR", refEKSNetworking))
		}
	}
	return fs
}
