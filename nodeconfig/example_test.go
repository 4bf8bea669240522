package nodeconfig_test

import (
	"errors"
	"fmt"

	corev1 "k8s.io/api/core/v1"
	utilerrors "k8s.io/apimachinery/pkg/util/errors"
	"k8s.io/apimachinery/pkg/util/validation/field"

	"github.com/hybridkit/hybridkit/nodeconfig"
)

// Build a GPU node's NodeConfig, validate it and render the YAML that
// `nodeadm init -c file://…` reads.
func Example() {
	c := nodeconfig.NewSSM("gpu-hybrid-cluster", "ap-northeast-2",
		"EXAMPLE+activation+code+0123456789", "6b7c2f1e-0d4a-4c1b-9e8f-1a2b3c4d5e6f")
	c.Spec.Kubelet.NodeLabels = map[string]string{"gpu": "h100", "topology.kubernetes.io/zone": "onprem-dc1"}
	c.Spec.Kubelet.Taints = []corev1.Taint{{Key: "nvidia.com/gpu", Value: "present", Effect: corev1.TaintEffectNoSchedule}}
	c.Default()
	if err := c.Validate(); err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(c.Spec.Hybrid.SSM) // the code never prints
	b, err := nodeconfig.Marshal(c)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Print(string(b))
	// Output:
	// SSM{ActivationCode:[redacted] ActivationID:6b7c2f1e-0d4a-4c1b-9e8f-1a2b3c4d5e6f}
	// apiVersion: node.eks.aws/v1alpha1
	// kind: NodeConfig
	// spec:
	//   cluster:
	//     name: gpu-hybrid-cluster
	//     region: ap-northeast-2
	//   hybrid:
	//     ssm:
	//       activationCode: EXAMPLE+activation+code+0123456789
	//       activationId: 6b7c2f1e-0d4a-4c1b-9e8f-1a2b3c4d5e6f
	//   kubelet:
	//     flags:
	//     - --node-labels=gpu=h100,topology.kubernetes.io/zone=onprem-dc1
	//     - --register-with-taints=nvidia.com/gpu=present:NoSchedule
}

// Parse reports every field the hybrid nodeadm does not know, each with
// its path, as nodeadm's strict decoder would reject them.
func ExampleParse() {
	doc := []byte(`apiVersion: node.eks.aws/v1alpha1
kind: NodeConfig
spec:
  featureGates: {InstanceIdNodeName: true}
  cluster: {name: gpu-hybrid-cluster, region: ap-northeast-2}
  hybrid:
    region: ap-northeast-2
    ssm: {activationCode: EXAMPLE+activation+code+0123456789, activationId: 6b7c2f1e-0d4a-4c1b-9e8f-1a2b3c4d5e6f}
`)
	_, err := nodeconfig.Parse(doc)
	var agg utilerrors.Aggregate
	if errors.As(err, &agg) {
		for _, e := range agg.Errors() {
			var fe *field.Error
			if errors.As(e, &fe) {
				fmt.Println(fe.Field, "-", fe.Detail)
			}
		}
	}
	// Output:
	// spec.featureGates - unknown field (line 4, column 3)
	// spec.hybrid.region - unknown field (line 7, column 5)
}

// Validate returns every problem at once; each is a *field.Error with the
// JSON path of the offending value.
func ExampleNodeConfig_Validate() {
	c := nodeconfig.NewSSM("gpu hybrid", "Seoul", "too-short", "NOT-A-UUID")
	c.Spec.Kubelet.Flags = []string{"--hostname-override=gpu-01"}
	err := c.Validate()
	var agg utilerrors.Aggregate
	if errors.As(err, &agg) {
		for _, e := range agg.Errors() {
			fmt.Println(e.(*field.Error).Field)
		}
	}
	// Output:
	// spec.cluster.name
	// spec.cluster.region
	// spec.hybrid.ssm.activationCode
	// spec.hybrid.ssm.activationId
	// spec.kubelet.flags[0]
}

// A fleet of IAM Roles Anywhere nodes: one template, a node name (and so a
// certificate CN) per node.
func ExampleFleet() {
	tmpl := nodeconfig.NewIAMRolesAnywhere("gpu-hybrid-cluster", "ap-northeast-2", nodeconfig.IAMRolesAnywhere{
		RoleARN:        "arn:aws:iam::111122223333:role/EKSHybridNodesRole",
		TrustAnchorARN: "arn:aws:rolesanywhere:ap-northeast-2:111122223333:trust-anchor/1b2c3d4e-5f60-4a7b-8c9d-0e1f2a3b4c5d",
		ProfileARN:     "arn:aws:rolesanywhere:ap-northeast-2:111122223333:profile/9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d",
	})
	nodes, err := nodeconfig.NodesNamed("gpu-node-%02d", 1, 3)
	if err != nil {
		fmt.Println(err)
		return
	}
	cfgs, err := nodeconfig.Fleet{Template: tmpl, Nodes: nodes}.Build()
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, c := range cfgs {
		ira := c.Spec.Hybrid.IAMRolesAnywhere
		fmt.Println(ira.NodeName, ira.CertificatePath)
	}
	// Output:
	// gpu-node-01 /etc/iam/pki/server.pem
	// gpu-node-02 /etc/iam/pki/server.pem
	// gpu-node-03 /etc/iam/pki/server.pem
}

// Lint explains what nodeadm accepts but will not work: here a label that
// contradicts the one nodeadm sets.
func ExampleNodeConfig_Lint() {
	c := nodeconfig.NewSSM("gpu-hybrid-cluster", "ap-northeast-2",
		"EXAMPLE+activation+code+0123456789", "6b7c2f1e-0d4a-4c1b-9e8f-1a2b3c4d5e6f")
	c.Spec.Kubelet.NodeLabels = map[string]string{"eks.amazonaws.com/compute-type": "ec2"}
	for _, f := range c.Lint() {
		fmt.Println(f.Level, f.Code, f.Field)
	}
	// Output:
	// warning nodeconfig/label-set-by-nodeadm spec.kubelet.nodeLabels[eks.amazonaws.com/compute-type]
}
