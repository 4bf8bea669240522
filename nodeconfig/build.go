package nodeconfig

// Defaults nodeadm applies to IAM Roles Anywhere nodes
// (aws/eks-hybrid internal/node/hybrid/defaults.go and
// internal/iamrolesanywhere/aws_config.go).
const (
	DefaultAWSConfigPath   = "/etc/aws/hybrid/config"
	DefaultCertificatePath = "/etc/iam/pki/server.pem"
	DefaultPrivateKeyPath  = "/etc/iam/pki/server.key"
)

// Labels nodeadm puts on every hybrid node itself
// (aws/eks-hybrid internal/kubelet: --node-labels).
const (
	LabelComputeType        = "eks.amazonaws.com/compute-type"
	LabelCredentialProvider = "eks.amazonaws.com/hybrid-credential-provider"
	ComputeTypeHybrid       = "hybrid"
)

// NewSSM returns a NodeConfig for a node that registers with an AWS Systems
// Manager hybrid activation (aws ssm create-activation). All nodes of a
// fleet may share one activation up to its registration limit.
func NewSSM(cluster, region string, activationCode Secret, activationID string) NodeConfig {
	return NodeConfig{
		Spec: NodeConfigSpec{
			Cluster: ClusterDetails{Name: cluster, Region: region},
			Hybrid:  &HybridOptions{SSM: &SSM{ActivationCode: activationCode, ActivationID: activationID}},
		},
	}.withType()
}

// NewIAMRolesAnywhere returns a NodeConfig for a node that authenticates
// with an X.509 certificate through IAM Roles Anywhere. Certificate, key
// and AWS config paths left empty get nodeadm's defaults, written out so
// that `nodeadm config check`, which does not apply them, sees what
// `nodeadm init` uses.
func NewIAMRolesAnywhere(cluster, region string, ira IAMRolesAnywhere) NodeConfig {
	if ira.CertificatePath == "" {
		ira.CertificatePath = DefaultCertificatePath
	}
	if ira.PrivateKeyPath == "" {
		ira.PrivateKeyPath = DefaultPrivateKeyPath
	}
	if ira.AWSConfigPath == "" {
		ira.AWSConfigPath = DefaultAWSConfigPath
	}
	return NodeConfig{
		Spec: NodeConfigSpec{
			Cluster: ClusterDetails{Name: cluster, Region: region},
			Hybrid:  &HybridOptions{IAMRolesAnywhere: &ira},
		},
	}.withType()
}

func (c NodeConfig) withType() NodeConfig {
	c.APIVersion, c.Kind = APIVersion, Kind
	return c
}

// Default fills apiVersion and kind, the two fields every NodeConfig
// has the same value in. Validate, Lint and Marshal read a NodeConfig
// with them filled, so calling Default first changes nothing; Parse, like
// nodeadm's decoder, refuses a document without them. A nil receiver is
// a no-op.
//
// The IAM Roles Anywhere file paths are not defaults: nodeadm init
// assumes them but `nodeadm config check` does not, so a NodeConfig must
// carry them (NewIAMRolesAnywhere writes them; Lint reports their
// absence).
func (c *NodeConfig) Default() {
	if c == nil {
		return
	}
	if c.APIVersion == "" {
		c.APIVersion = APIVersion
	}
	if c.Kind == "" {
		c.Kind = Kind
	}
}
