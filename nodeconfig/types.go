package nodeconfig

import (
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/hybridkit/hybridkit/internal/strict"
)

// The document's apiVersion and kind (aws/eks-hybrid api/v1alpha1).
const (
	APIVersion = "node.eks.aws/v1alpha1"
	Kind       = "NodeConfig"
)

// NodeConfig is the input of the hybrid nodeadm (github.com/aws/eks-hybrid):
// `nodeadm init -c file://nodeconfig.yaml`. Its fields and JSON names are
// those of eks-hybrid's api/v1alpha1; fields that exist only in the EC2
// (AL2023) nodeadm — featureGates, containerd.baseRuntimeSpec,
// instance.network, kubelet.maxPodsExpression — do not exist here, and Parse
// rejects them like nodeadm does.
//
// Build one with NewSSM or NewIAMRolesAnywhere, then Default, Validate and
// Marshal. The zero NodeConfig is not valid: it has no kind, cluster or
// credentials.
//
// fmt prints the SSM activation code as "[redacted]"; only Marshal writes it.
type NodeConfig struct {
	metav1.TypeMeta `json:",inline"`
	// Metadata is accepted by nodeadm and ignored; it is omitted when nil.
	Metadata *metav1.ObjectMeta `json:"metadata,omitempty"`
	Spec     NodeConfigSpec     `json:"spec"`

	// folded are the keys Parse matched ignoring case (nodeadm's
	// encoding/json does the same); Lint names their spelling.
	folded []strict.FoldedKey
}

// NodeConfigSpec is spec of a NodeConfig.
type NodeConfigSpec struct {
	Cluster    ClusterDetails    `json:"cluster"`
	Containerd ContainerdOptions `json:"containerd,omitempty"`
	Instance   InstanceOptions   `json:"instance,omitempty"`
	Kubelet    KubeletOptions    `json:"kubelet,omitempty"`
	// Hybrid holds the node's credentials. nodeadm treats a NodeConfig
	// without it as an EC2 node, so Validate requires it.
	Hybrid *HybridOptions `json:"hybrid,omitempty"`
}

// ClusterDetails names the EKS cluster the node joins.
type ClusterDetails struct {
	// Name is the EKS cluster name. Required.
	Name string `json:"name,omitempty" validate:"required"`
	// Region is the cluster's AWS Region, such as "ap-northeast-2". Required.
	Region string `json:"region,omitempty" validate:"required"`
	// APIServerEndpoint is the cluster's https endpoint. Optional: when it,
	// CertificateAuthority or CIDR is empty, nodeadm calls
	// eks:DescribeCluster, which the node's IAM role must then allow.
	APIServerEndpoint string `json:"apiServerEndpoint,omitempty"`
	// CertificateAuthority is the cluster CA in PEM (base64 in YAML).
	CertificateAuthority []byte `json:"certificateAuthority,omitempty"`
	// CIDR is the cluster's Kubernetes service CIDR (the upstream comment
	// says "pod CIDR", but nodeadm fills it from
	// KubernetesNetworkConfig.ServiceIpv4Cidr and derives clusterDNS from
	// it: aws/eks-hybrid internal/node/hybrid/configenricher.go).
	CIDR string `json:"cidr,omitempty"`
	// EnableOutpost and ID are for EKS on Outposts; nodeadm sets up Outposts
	// kubelet behaviour for any node that sets them, so Validate forbids
	// them on hybrid nodes.
	EnableOutpost *bool  `json:"enableOutpost,omitempty"`
	ID            string `json:"id,omitempty"`
}

// ContainerdOptions holds containerd configuration for the node.
type ContainerdOptions struct {
	// Config is TOML that nodeadm writes verbatim to
	// /etc/containerd/config.d/00-nodeadm.toml, imported by its own
	// version 2 config.toml. Render it with the gpu package rather than by
	// hand: containerd 1.x replaces whole plugin tables on import (Lint
	// reports a CRI section that is not complete).
	Config string `json:"config,omitempty"`
}

// InstanceOptions exists in the hybrid schema but the hybrid nodeadm does
// not use it (no code path reads it); Lint reports a set strategy.
type InstanceOptions struct {
	LocalStorage LocalStorageOptions `json:"localStorage,omitempty"`
}

// LocalStorageOptions configures instance-store volumes on EC2.
type LocalStorageOptions struct {
	Strategy LocalStorageStrategy `json:"strategy,omitempty"`
}

// LocalStorageStrategy is RAID0 or Mount.
type LocalStorageStrategy string

// The strategies the schema accepts.
const (
	LocalStorageRAID0 LocalStorageStrategy = "RAID0"
	LocalStorageMount LocalStorageStrategy = "Mount"
)

// HybridOptions holds the node's AWS credentials: exactly one of SSM and
// IAMRolesAnywhere.
type HybridOptions struct {
	// EnableCredentialsFile makes nodeadm keep a shared credentials file
	// at /eks-hybrid/.aws/credentials for other agents on the host.
	EnableCredentialsFile bool              `json:"enableCredentialsFile,omitempty"`
	IAMRolesAnywhere      *IAMRolesAnywhere `json:"iamRolesAnywhere,omitempty"`
	SSM                   *SSM              `json:"ssm,omitempty"`
}

// SSM is an AWS Systems Manager hybrid activation. The node's Kubernetes
// name becomes its managed-instance ID (mi-…).
type SSM struct {
	// ActivationCode is the secret half of the activation: 20 to 250
	// characters. It prints as "[redacted]".
	ActivationCode Secret `json:"activationCode,omitempty"`
	// ActivationID is a lower-case UUID.
	ActivationID string `json:"activationId,omitempty"`
}

// IAMRolesAnywhere identifies the node with an X.509 certificate through
// IAM Roles Anywhere. NodeName becomes the Kubernetes node name and the IAM
// role session name, so it must match the certificate's CN if the role's
// trust policy binds them.
type IAMRolesAnywhere struct {
	// NodeName is the node's name: 2 to 64 characters, a DNS subdomain.
	NodeName string `json:"nodeName,omitempty" validate:"required"`
	// TrustAnchorARN, ProfileARN and RoleARN are required.
	TrustAnchorARN string `json:"trustAnchorArn,omitempty" validate:"required"`
	ProfileARN     string `json:"profileArn,omitempty" validate:"required"`
	RoleARN        string `json:"roleArn,omitempty" validate:"required"`
	// AWSConfigPath defaults to /etc/aws/hybrid/config.
	AWSConfigPath string `json:"awsConfigPath,omitempty"`
	// CertificatePath defaults to /etc/iam/pki/server.pem and
	// PrivateKeyPath to /etc/iam/pki/server.key. Default writes them out:
	// `nodeadm config check` validates without applying defaults.
	CertificatePath string `json:"certificatePath,omitempty"`
	PrivateKeyPath  string `json:"privateKeyPath,omitempty"`
}

// KubeletOptions configures the kubelet. Config is written to the kubelet's
// config drop-in; Flags are appended after nodeadm's own flags (later flags
// win). NodeLabels and Taints are typed views of the --node-labels and
// --register-with-taints flags: Marshal renders them as flags, Parse reads
// them back out.
type KubeletOptions struct {
	// Config is a KubeletConfiguration fragment.
	Config KubeletConfig `json:"config,omitempty"`
	// Flags are other kubelet flags, in order, each "--name=value".
	Flags []string `json:"flags,omitempty"`
	// NodeLabels are rendered, sorted by key, as one --node-labels flag.
	NodeLabels map[string]string `json:"-"`
	// Taints are rendered, in order, as one --register-with-taints flag.
	Taints []corev1.Taint `json:"-"`
}
