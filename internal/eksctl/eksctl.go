// Package eksctl holds the part of eksctl's ClusterConfig (eksctl.io/v1alpha5)
// that hybridkit writes and reads — metadata, the service CIDR, the
// authentication mode, an existing VPC and its subnets, and
// remoteNetworkConfig — with eksctl's JSON names, and eksctl's own rules
// for remoteNetworkConfig as field errors.
//
// The names are those of eksctl v0.215.0
// (https://github.com/eksctl-io/eksctl/blob/1df868edbf06679085b11025f1544ad92b5ef812/pkg/apis/eksctl.io/v1alpha5/types.go
// and vpc.go next to it); the rules are its validateRemoteNetworkingConfig
// (validation.go, same commit). The lab strict-decodes the bundle's file
// with eksctl's own types and runs that validation.
package eksctl

import (
	"strings"

	"k8s.io/apimachinery/pkg/util/validation/field"
)

// APIVersion and Kind of an eksctl ClusterConfig.
const (
	APIVersion = "eksctl.io/v1alpha5"
	Kind       = "ClusterConfig"
)

// Credential providers of remoteNetworkConfig.iam.provider (eksctl
// compares them ignoring case).
const (
	ProviderSSM = "SSM"
	ProviderIRA = "IRA"
)

// AuthenticationModeConfigMap is the mode remoteNetworkConfig refuses
// (hybrid nodes join through access entries: API or API_AND_CONFIG_MAP).
const AuthenticationModeConfigMap = "CONFIG_MAP"

// Config is a ClusterConfig, the fields hybridkit uses.
type Config struct {
	APIVersion          string               `json:"apiVersion"`
	Kind                string               `json:"kind"`
	Metadata            Meta                 `json:"metadata"`
	KubernetesNetwork   *KubernetesNetwork   `json:"kubernetesNetworkConfig,omitempty"`
	AccessConfig        *AccessConfig        `json:"accessConfig,omitempty"`
	VPC                 *VPC                 `json:"vpc,omitempty"`
	RemoteNetworkConfig *RemoteNetworkConfig `json:"remoteNetworkConfig,omitempty"`
}

// Meta is ClusterMeta.
type Meta struct {
	Name    string `json:"name"`
	Region  string `json:"region"`
	Version string `json:"version,omitempty"`
}

// KubernetesNetwork is KubernetesNetworkConfig.
type KubernetesNetwork struct {
	IPFamily        string `json:"ipFamily,omitempty"`
	ServiceIPv4CIDR string `json:"serviceIPv4CIDR,omitempty"`
}

// AccessConfig is the cluster's access configuration.
type AccessConfig struct {
	AuthenticationMode string `json:"authenticationMode,omitempty"`
}

// VPC is ClusterVPC: an existing VPC's ID and CIDR, and its subnets.
type VPC struct {
	ID      string   `json:"id,omitempty"`
	CIDR    string   `json:"cidr,omitempty"`
	Subnets *Subnets `json:"subnets,omitempty"`
}

// Subnets are ClusterSubnets, keyed by name (or Availability Zone).
type Subnets struct {
	Private map[string]Subnet `json:"private,omitempty"`
	Public  map[string]Subnet `json:"public,omitempty"`
}

// Subnet is AZSubnetSpec.
type Subnet struct {
	ID   string `json:"id,omitempty"`
	AZ   string `json:"az,omitempty"`
	CIDR string `json:"cidr,omitempty"`
}

// RemoteNetworkConfig turns on hybrid nodes.
type RemoteNetworkConfig struct {
	IAM *RemoteNodesIAM `json:"iam,omitempty"`
	// VPCGatewayID is a tgw- or vgw- ID eksctl attaches to a VPC it
	// creates; it refuses one with an existing VPC.
	VPCGatewayID       string          `json:"vpcGatewayID,omitempty"`
	RemoteNodeNetworks []RemoteNetwork `json:"remoteNodeNetworks,omitempty"`
	RemotePodNetworks  []RemoteNetwork `json:"remotePodNetworks,omitempty"`
}

// RemoteNodesIAM is the nodes' credential provider and role.
type RemoteNodesIAM struct {
	Provider     string `json:"provider,omitempty"`
	RoleARN      string `json:"roleARN,omitempty"`
	CABundleCert string `json:"caBundleCert,omitempty"`
}

// RemoteNetwork is one remote network's CIDRs.
type RemoteNetwork struct {
	CIDRs []string `json:"cidrs,omitempty"`
}

// ValidateRemoteNetworks returns what eksctl refuses in c's
// remoteNetworkConfig, each at its path; nil when c has none. eksctl
// stops at the first; this returns them all.
func (c Config) ValidateRemoteNetworks() field.ErrorList {
	r := c.RemoteNetworkConfig
	if r == nil {
		return nil
	}
	p := field.NewPath("remoteNetworkConfig")
	var errs field.ErrorList
	if n := c.KubernetesNetwork; n != nil && strings.EqualFold(n.IPFamily, "IPv6") {
		errs = append(errs, field.Forbidden(p, "eksctl: remoteNetworkConfig is not supported on a cluster with ipFamily IPv6"))
	}
	if a := c.AccessConfig; a != nil && a.AuthenticationMode == AuthenticationModeConfigMap {
		errs = append(errs, field.NotSupported(field.NewPath("accessConfig", "authenticationMode"), a.AuthenticationMode, []string{"API", "API_AND_CONFIG_MAP"}))
	}
	if len(r.RemoteNodeNetworks) == 0 {
		errs = append(errs, field.Required(p.Child("remoteNodeNetworks"), "eksctl: must be set and non-empty"))
	}
	if g := r.VPCGatewayID; g != "" {
		switch {
		case c.VPC != nil && c.VPC.ID != "":
			errs = append(errs, field.Forbidden(p.Child("vpcGatewayID"), "eksctl: not supported when using a pre-existing VPC (vpc.id)"))
		case !strings.HasPrefix(g, "tgw") && !strings.HasPrefix(g, "vgw"):
			errs = append(errs, field.Invalid(p.Child("vpcGatewayID"), g, "eksctl: only transit gateway (tgw-*) or virtual private gateway (vgw-*) IDs are supported"))
		}
	}
	// eksctl defaults a missing iam.provider to SSM.
	provider, ca := ProviderSSM, ""
	if r.IAM != nil {
		ca = r.IAM.CABundleCert
		if r.IAM.Provider != "" {
			provider = r.IAM.Provider
		}
	}
	ip := p.Child("iam")
	switch {
	case strings.EqualFold(provider, ProviderSSM):
		if ca != "" {
			errs = append(errs, field.Forbidden(ip.Child("caBundleCert"), "eksctl: not supported with the SSM credentials provider"))
		}
	case strings.EqualFold(provider, ProviderIRA):
		if ca == "" {
			errs = append(errs, field.Required(ip.Child("caBundleCert"), "eksctl: required with the IRA (IAM Roles Anywhere) credentials provider"))
		}
	default:
		errs = append(errs, field.NotSupported(ip.Child("provider"), provider, []string{ProviderSSM, ProviderIRA}))
	}
	return errs
}
