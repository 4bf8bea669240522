// Package hybridkit turns one typed description of an Amazon EKS Hybrid
// Nodes deployment — on-premises GPU servers joined to an EKS cluster —
// into every artifact the deployment needs, each one checked against the
// rules of the program that will consume it.
//
// The library is for platform teams and the tools they write: internal Go
// programs, tests that generate manifests, and CLIs that use it as a
// backend. It replaces configuration copied from blog posts and guides
// (half of which is subtly wrong) with typed models and pure renderers that
// explain every correction they make.
//
// # Packages
//
//   - advice: Finding, the advisory every Lint and Check returns.
//   - nodeconfig: the hybrid nodeadm's NodeConfig (node.eks.aws/v1alpha1):
//     build, default, validate, lint, marshal, strict parse, fleets.
//   - gpu: the NVIDIA runtime in containerd (standalone 1.x and 2.x files,
//     nodeadm drop-ins), the device plugin, RuntimeClass and test pod, GPU
//     node labels and taints, inventories from nvidia-smi, the MIG catalog,
//     host prerequisite checks.
//   - netplan: the address plan (validation, overlaps that name both
//     inputs, allocation) and the AWS routing plan (VPC routes, BGP
//     announcements, the remote networks' registration, the connectivity
//     script).
//   - firewall: rule sets from profiles (EKS, NFS, DNS, Calico, Istio),
//     rendered as security groups, nftables, iptables and tables.
//   - netpath: the path from a hybrid node to the VPC: its MTU hop by hop,
//     the link baseline and the ping and iperf3 parsers.
//   - containerdconf: containerd config files (versions 2 and 3, nodeadm
//     drop-ins): model, render, parse, and checks for what containerd 1.x
//     and 2.x do with them.
//   - dnsplan: Route 53 Resolver endpoints and rules, on-premises
//     forwarders (BIND, Unbound, dnsmasq), the nodes' systemd-resolved
//     drop-in, CoreDNS stub domains, the AWS CLI script.
//   - cost: exact Money, the tiered Hybrid Nodes prices, fleet estimates,
//     scenarios, cloud comparison, currency conversion.
//   - storage: PersistentVolumes and claims for on-premises NFS and CSI
//     storage, NFS mount presets, the storage path's requirements.
//   - placement: where each workload runs (GPU, cloud, both sides), the
//     Cluster Autoscaler, mixed-cluster rules, a PodSpec lint.
//   - blueprint: one description of a whole deployment, validated across
//     packages and rendered into a Bundle with a Markdown report.
//   - internal/...: validator glue, strict decoding, the shell-script,
//     Markdown and YAML writers, image references, test helpers.
//
// # One pipeline in every package
//
// Build typed values → Validate returns every problem at once as field
// errors with JSON paths → Lint returns advice.Findings for what is legal
// but wrong in practice → Marshal (a model's own format) or RenderX
// (another format) returns deterministic bytes and refuses invalid input
// → Parse reads them back strictly, so Parse(Marshal(x)) equals x.
//
// The rules every package follows:
//
//   - Defaults: Validate, Lint, Check and every renderer read a zero field
//     as its documented default — each works on a defaulted copy — and
//     none changes its argument. Default exists to see the filled values;
//     calling it first changes no result. Parse does not default: it
//     returns what the document says, so Lint can report what a file
//     leaves out.
//   - Validate() error and ValidateAt(*field.Path) field.ErrorList on every
//     model; the error unwraps to field errors whose paths are the model's
//     JSON fields (the blueprint's, for a blueprint). Rules of one field
//     are validate struct tags; rules across fields are code.
//   - Lint() []advice.Finding takes no arguments: the context is in the
//     value. A check across values is a function, CheckX(…).
//   - A finding's Code is an advice.Code constant of the package that
//     reports it, and its Field is built from a *field.Path.
//   - A well-known name (a label, taint or resource) is declared once, by
//     the package that owns it — nodeconfig.LabelComputeType,
//     gpu.ResourceGPU — or taken from k8s.io/api (corev1.LabelTopologyZone).
//
// # No I/O
//
// Library packages take values and []byte and return values and []byte.
// They do not read files, call AWS, run programs, log, or keep global
// state; the programs under examples/ do the I/O. A test enforces it.
//
// # Example
//
// The whole deployment from one blueprint:
//
//	bundle, findings, err := blueprint.Render(blueprint.Reference())
//
// or one NodeConfig on its own:
//
//	c := nodeconfig.NewSSM("gpu-hybrid-cluster", "ap-northeast-2", code, activationID)
//	c.Spec.Kubelet.NodeLabels = map[string]string{corev1.LabelTopologyZone: "onprem-dc1"}
//	c.Spec.Kubelet.Taints = []corev1.Taint{gpu.NodeTaint()}
//	for _, f := range c.Lint() {
//		fmt.Println(f)
//	}
//	b, err := nodeconfig.Marshal(c) // validates first: invalid input gives an error, never bytes
//	if err != nil {
//		return err
//	}
//	// write b to /etc/nodeadm/nodeconfig.yaml on the node
package hybridkit
