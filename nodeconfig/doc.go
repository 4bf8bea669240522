// Package nodeconfig models, validates, renders and parses the NodeConfig
// that the EKS Hybrid Nodes nodeadm (github.com/aws/eks-hybrid) reads with
// `nodeadm init -c file://nodeconfig.yaml`.
//
// This is the hybrid nodeadm's schema (node.eks.aws/v1alpha1), not the EC2
// (AL2023) nodeadm's: featureGates, containerd.baseRuntimeSpec,
// instance.network, kubelet.maxPodsExpression, hybrid.region and
// hybrid.nodeName do not exist, and Parse rejects them with their paths as
// nodeadm does.
//
// The pipeline is the module's: build (NewSSM, NewIAMRolesAnywhere, or a
// Fleet), Default, Validate (nodeadm's rules, the kubelet's rules for the
// typed settings, labels and taints, and the EKS formats — every problem at
// once, with its JSON path), Lint (what is accepted but will not work:
// a containerd drop-in that containerd 1.x turns into a config without
// SystemdCgroup, labels nodeadm already sets, paths `nodeadm config check`
// needs), Marshal, and Parse.
//
//	c := nodeconfig.NewSSM("gpu-hybrid-cluster", "ap-northeast-2", code, activationID)
//	c.Spec.Kubelet.NodeLabels = map[string]string{"gpu": "h100"}
//	b, err := nodeconfig.Marshal(c) // validates first; writes nothing on error
//
// Kubelet labels and taints are typed (NodeLabels, Taints) and rendered as
// --node-labels and --register-with-taints flags in a fixed order; Parse
// reads them back, so Parse(Marshal(x)) equals x.
//
// The SSM activation code is a Secret: it is written by Marshal and
// nowhere else — String, GoString, fmt verbs, errors and findings show
// "[redacted]".
//
// # AWS side
//
// Identity is what AWS must hold before a node can join: the Hybrid Nodes
// IAM role (Role: trust and permission policies as PolicyDocuments), its
// HYBRID_LINUX access entry, and the SSM activation request
// (ActivationInput) or the IAM Roles Anywhere profile. IdentityScript
// writes the AWS CLI commands; TrustAnchorScript creates the Roles
// Anywhere trust anchor from the site's CA; CheckCertificate checks that a
// node certificate's CN is the node's name, as the role's trust policy
// requires. Activation codes are outputs of AWS and never inputs here.
//
// Sources: aws/eks-hybrid at e5f42ca4,
// https://github.com/aws/eks-hybrid/blob/e5f42ca4e2df0eb7d3da467a4a73444d9d952cd0/api/v1alpha1/nodeconfig_types.go
// and internal/node/hybrid/validator.go.
package nodeconfig
