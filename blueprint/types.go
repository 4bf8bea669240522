package blueprint

import (
	"net/netip"
	"time"

	"github.com/hybridkit/hybridkit/cost"
	"github.com/hybridkit/hybridkit/dnsplan"
	"github.com/hybridkit/hybridkit/gpu"
	"github.com/hybridkit/hybridkit/netpath"
	"github.com/hybridkit/hybridkit/netplan"
	"github.com/hybridkit/hybridkit/nodeconfig"
	"github.com/hybridkit/hybridkit/storage"
)

// Blueprint describes a whole EKS Hybrid Nodes deployment: the cluster,
// its VPC, the site and its networks, the link between them, DNS,
// credentials, the node pools, storage, workloads and pricing. Load one
// with Parse (strict YAML) or build it in Go; Reference is the adoption
// guide's scenario.
type Blueprint struct {
	Cluster      Cluster      `json:"cluster"`
	VPC          VPC          `json:"vpc"`
	Site         Site         `json:"site"`
	Connectivity Connectivity `json:"connectivity"`
	// CNI is cilium (default; the CNI AWS supports on hybrid nodes) or
	// calico.
	CNI netplan.CNI `json:"cni,omitempty" validate:"oneof=cilium calico"`
	// Istio adds the Istio ports to the firewall rules.
	Istio       bool        `json:"istio,omitempty"`
	Credentials Credentials `json:"credentials"`
	NodePools   []NodePool  `json:"nodePools" validate:"dive"`
	// GPUSharing shares each GPU between pods through the NVIDIA device
	// plugin (one DaemonSet for the cluster, so one setting for every GPU
	// pool); nil advertises whole GPUs.
	GPUSharing *GPUSharing `json:"gpuSharing,omitempty"`
	// DNS is the hybrid DNS design: the site's zones and servers and the
	// Route 53 Resolver endpoints.
	DNS       DNS       `json:"dns"`
	Storage   []Export  `json:"storage,omitempty" validate:"dive"`
	Workloads Workloads `json:"workloads,omitempty"`
	Pricing   Pricing   `json:"pricing,omitempty"`
}

// Cluster is the EKS cluster.
type Cluster struct {
	Name   string `json:"name" validate:"eks_cluster_name"`
	Region string `json:"region" validate:"aws_region"`
	// AccountID is the AWS account (12 digits) of the cluster and the
	// Hybrid Nodes role.
	AccountID string `json:"accountId" validate:"aws_account_id"`
	// KubernetesVersion is the minor version, "1.33".
	KubernetesVersion string `json:"kubernetesVersion" validate:"kubernetes_minor"`
	// EndpointAccess is public, private (default) or public-and-private.
	EndpointAccess dnsplan.EndpointAccess `json:"endpointAccess,omitempty" validate:"oneof=public private public-and-private"`
	// EndpointHost is the API server's DNS name once the cluster exists
	// (<id>.gr7.<region>.eks.amazonaws.com); optional.
	EndpointHost dnsplan.Domain `json:"endpointHost,omitzero"`
	// ServiceCIDR is the Kubernetes service range (RFC 1918, /12 to /24).
	ServiceCIDR netip.Prefix `json:"serviceCidr"`
}

// VPC is the cluster's VPC.
type VPC struct {
	ID   string       `json:"id" validate:"aws_id=vpc"`
	CIDR netip.Prefix `json:"cidr"`
	// Subnets hold the cluster's network interfaces, the Transit Gateway
	// attachment and the resolver endpoints.
	Subnets []Subnet `json:"subnets" validate:"dive"`
}

// Subnet is a VPC subnet.
type Subnet struct {
	// Name is what dns.inbound and dns.outbound call the subnet.
	Name         string       `json:"name" validate:"required,plain_text"`
	ID           string       `json:"id" validate:"aws_id=subnet"`
	CIDR         netip.Prefix `json:"cidr"`
	AZ           string       `json:"az"`
	RouteTableID string       `json:"routeTableId" validate:"aws_id=rtb"`
}

// Site is the on-premises side.
type Site struct {
	// Zone is the topology.kubernetes.io/zone the hybrid nodes get
	// ("onprem-dc1"), so zone spreading sees the site as a zone.
	Zone string `json:"zone" validate:"required,label_value"`
	// Networks are the site's existing ranges.
	Networks []netip.Prefix `json:"networks"`
	// RemoteNodeNetwork holds the hybrid nodes' addresses and
	// RemotePodNetwork their pods' (both registered with the cluster).
	RemoteNodeNetwork netip.Prefix `json:"remoteNodeNetwork"`
	RemotePodNetwork  netip.Prefix `json:"remotePodNetwork"`
	// NodeMTU is the hybrid nodes' interface MTU (default 9000).
	NodeMTU int `json:"nodeMtu,omitempty" validate:"min=1280,max=9216"`
}

// Connectivity is the link between the site and the VPC.
type Connectivity struct {
	// Connection is direct-connect or vpn; both end at a Transit Gateway.
	Connection        netplan.Connection `json:"connection"`
	TransitGatewayASN int64              `json:"transitGatewayAsn,omitempty"`
	// DirectConnect: the gateway and the virtual interface kind
	// (transit, the default, or private) and MTU.
	DirectConnect *DirectConnect `json:"directConnect,omitempty"`
	VPN           *netplan.VPN   `json:"vpn,omitempty"`
	// BandwidthGbps is the link's capacity, for the report.
	BandwidthGbps int `json:"bandwidthGbps,omitempty" validate:"min=0,max=400"`
	// Measurement is an optional measured baseline of the link.
	Measurement *netpath.Measurement `json:"measurement,omitempty"`
	// MTUProbe is an address in the VPC that answers ICMP echo from the
	// remote node network (an instance whose security group admits it):
	// verify/from-hybrid-node.sh proves the path MTU against it. The
	// Resolver endpoints and the cluster's interfaces do not answer ping.
	MTUProbe netip.Addr `json:"mtuProbe,omitzero"`
}

// DirectConnect is the Direct Connect side.
type DirectConnect struct {
	GatewayName string `json:"gatewayName"`
	ASN         int64  `json:"asn"`
	// VIF is transit (default, to the Transit Gateway) or private.
	VIF string `json:"vif,omitempty" validate:"oneof=transit private"`
	// VIFMTU is 1500 or 8500 for either kind of VIF
	// (default: the largest).
	VIFMTU int `json:"vifMtu,omitempty"`
}

// DNS is the hybrid DNS design.
type DNS struct {
	// Zones are the on-premises zones ("company.local") and Servers the
	// site's DNS servers that answer them.
	Zones   []dnsplan.Domain `json:"zones"`
	Servers []netip.Addr     `json:"servers"`
	// Inbound and Outbound are the Route 53 Resolver endpoints' addresses.
	Inbound  Endpoint `json:"inbound"`
	Outbound Endpoint `json:"outbound"`
	// ForwardToAWS are the domains the site sends to the inbound endpoint;
	// default the cluster's EndpointHost when it is known.
	ForwardToAWS []dnsplan.Domain `json:"forwardToAws,omitempty"`
	// DNSSECValidation says the site's resolvers validate (BIND's
	// default).
	DNSSECValidation bool `json:"dnssecValidation,omitempty"`
}

// Endpoint is a resolver endpoint's security group and addresses.
type Endpoint struct {
	SecurityGroupID string       `json:"securityGroupId" validate:"omitempty,aws_id=sg"`
	IPs             []EndpointIP `json:"ips"`
}

// EndpointIP is an endpoint address in a named VPC subnet.
type EndpointIP struct {
	IP     netip.Addr `json:"ip"`
	Subnet string     `json:"subnet"`
}

// Credentials is how the nodes authenticate to AWS.
type Credentials struct {
	Provider nodeconfig.CredentialProvider `json:"provider" validate:"oneof=ssm iam-roles-anywhere"`
	// SSM: the activation's ID and code, outputs of `aws ssm
	// create-activation` (the identity script in the bundle creates it).
	// Without them the bundle has no NodeConfigs, only the script; with
	// them the code is written into the NodeConfigs and nowhere else.
	SSM *SSMCredentials `json:"ssm,omitempty"`
	// IAMRolesAnywhere: the trust anchor (required) and the profile
	// (an output of the identity script; without it, no NodeConfigs).
	IAMRolesAnywhere *RolesAnywhereCredentials `json:"iamRolesAnywhere,omitempty"`
	// PodIdentity lets EKS Pod Identity work on hybrid nodes.
	PodIdentity bool `json:"podIdentity,omitempty"`
}

// SSMCredentials is an SSM hybrid activation.
type SSMCredentials struct {
	ActivationID   string            `json:"activationId,omitempty"`
	ActivationCode nodeconfig.Secret `json:"activationCode,omitempty"`
	// Expiration of the activation to create (zero: AWS's 24 hours).
	Expiration time.Time `json:"expiration,omitzero"`
}

// RolesAnywhereCredentials is the IAM Roles Anywhere setup.
type RolesAnywhereCredentials struct {
	TrustAnchorARN string `json:"trustAnchorArn" validate:"required"`
	ProfileARN     string `json:"profileArn,omitempty"`
}

// NodePool is a set of identical hybrid servers.
type NodePool struct {
	Name  string `json:"name" validate:"dns1123_label"`
	Count int    `json:"count" validate:"min=1,max=100000"`
	// HostnamePattern names the nodes with one %d or %0Nd verb
	// ("gpu-node-%02d", numbered from 1).
	HostnamePattern string `json:"hostnamePattern"`
	// FirstAddress is the first node's address; the others follow it.
	FirstAddress netip.Addr      `json:"firstAddress" validate:"required"`
	GPU          *GPU            `json:"gpu,omitempty"`
	CPU          cost.Processors `json:"cpu"`
	// OS is "ubuntu-22.04", "ubuntu-24.04", "rhel-9" or "al2023".
	OS string `json:"os" validate:"oneof=ubuntu-20.04 ubuntu-22.04 ubuntu-24.04 rhel-8 rhel-9 al2023"`
	// DriverVersion is the NVIDIA driver ("550.127.05").
	DriverVersion string `json:"driverVersion,omitempty"`
	// ContainerdVersion is the hosts' containerd ("1.7.27", "2.1.3").
	ContainerdVersion string `json:"containerdVersion,omitempty"`
	// HoursPerMonth the pool is attached (0: all month), for cost.
	HoursPerMonth int64 `json:"hoursPerMonth,omitempty" validate:"min=0"`
	// Labels are extra node labels.
	Labels map[string]string `json:"labels,omitempty" validate:"dive,keys,qualified_name,endkeys,label_value"`
}

// GPU is a pool's GPUs.
type GPU struct {
	// Model is a gpu catalog alias: h100, h100-pcie, h200.
	Model string `json:"model"`
	Count int    `json:"count" validate:"min=1,max=16"`
}

// GPUSharing is the device plugin's sharing of each GPU: Strategy
// time-slicing or mps, with Replicas (2 to 1024) pods per GPU. Nodes then
// carry GPU feature discovery's sharing labels (nvidia.com/gpu.replicas,
// nvidia.com/gpu.sharing-strategy, nvidia.com/gpu.product with -SHARED).
type GPUSharing struct {
	Strategy gpu.Sharing `json:"strategy" validate:"required,oneof=time-slicing mps"`
	Replicas int         `json:"replicas" validate:"min=2,max=1024"`
	// FailRequestsGreaterThanOne rejects pods asking for more than one
	// shared GPU (the plugin's default: false for time-slicing, true for
	// MPS).
	FailRequestsGreaterThanOne *bool `json:"failRequestsGreaterThanOne,omitempty"`
}

// Export is an on-premises file system to mount in the cluster.
type Export struct {
	Name     string     `json:"name" validate:"dns1123_subdomain"`
	Server   netip.Addr `json:"server" validate:"required"`
	Path     string     `json:"path"`
	Capacity string     `json:"capacity" validate:"quantity"`
	// Namespace of the claim (default "default").
	Namespace string `json:"namespace,omitempty" validate:"dns1123_label"`
	// NFSVersion is 4 (default) or 3.
	NFSVersion int `json:"nfsVersion,omitempty" validate:"oneof=3 4"`
	// Placement is anywhere, hybrid-only (default) or cloud-only.
	Placement storage.Placement `json:"placement,omitempty" validate:"oneof=anywhere hybrid-only cloud-only"`
	// CSI mounts it through nfs.csi.k8s.io instead of the in-tree driver.
	CSI bool `json:"csi,omitempty"`
	// Measurement is the measured path between a node and the server
	// (netpath.MeasureCommands); without it the report asks for one.
	Measurement *netpath.Measurement `json:"measurement,omitempty"`
}

// Workloads are the example workloads to place.
type Workloads struct {
	// TrainingImage runs a GPU job on the hybrid GPU nodes (default
	// pytorch/pytorch:2.5.1-cuda12.4-cudnn9-runtime).
	TrainingImage string `json:"trainingImage,omitempty" validate:"image_ref"`
	// WebImage runs a web API on cloud nodes and CriticalReplicas of a
	// critical app spread over both sides (default 6).
	WebImage         string `json:"webImage,omitempty" validate:"image_ref"`
	CriticalReplicas int32  `json:"criticalReplicas,omitempty" validate:"min=1,max=10000"`
	// Autoscaler renders the Cluster Autoscaler for the cloud node groups.
	Autoscaler bool `json:"autoscaler,omitempty"`
}

// Pricing is the cost inputs.
type Pricing struct {
	// Table is tiered (default) or flat-guide (the guide's $0.1099, for
	// comparison only).
	Table string `json:"table,omitempty" validate:"oneof=tiered flat-guide"`
	// MonthHours defaults to 730.
	MonthHours int64 `json:"monthHours,omitempty" validate:"min=1,max=744"`
	// Currency (an ISO 4217 code) at CurrencyRate units per US dollar
	// converts the totals ("KRW" at "1380.25").
	Currency     string `json:"currency,omitempty" validate:"required_with=CurrencyRate,omitempty,len=3,uppercase,alpha"`
	CurrencyRate string `json:"currencyRate,omitempty" validate:"required_with=Currency,omitempty,positive_decimal"`
	// Cloud are cloud GPU instances to compare with, with their dates.
	Cloud []cost.CloudInstance `json:"cloud,omitempty"`
	// Owned are the owned-server costs for the comparison.
	Owned *cost.OwnedCosts `json:"owned,omitempty"`
}
