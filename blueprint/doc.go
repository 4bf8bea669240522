// Package blueprint turns one description of an EKS Hybrid Nodes
// deployment into every artifact it needs, validated across packages.
//
// A Blueprint names the cluster, its VPC, the site and its networks, the
// link, DNS, credentials, node pools, storage, workloads and pricing.
// Parse reads one from YAML strictly; Reference is the adoption guide's
// scenario, corrected. Render validates everything at once — each domain
// package's rules and the ones no package can check alone: node
// addresses inside the remote node network, resolver endpoint addresses
// inside VPC subnets, NFS servers reachable through the plan, a pod
// network large enough for the nodes, firewall rules carrying every flow
// the other parts need, a path MTU that leaves room for the CNI's
// encapsulation, and a containerd drop-in that holds up on nodeadm's root
// config — and returns a Bundle:
//
//	b, findings, err := blueprint.Render(blueprint.Reference())
//	for _, f := range b.Files() { … f.Path, f.Kind, f.Content … }
//
// The Bundle holds README.md (the plan report, with Mermaid diagrams),
// plan.json, one NodeConfig per node, containerd configs, Kubernetes
// manifests and Cilium values, DNS forwarder configs, host firewalls, AWS
// CLI scripts and their JSON, and verification commands. Render does no
// I/O; examples/render writes the bundle to a folder.
package blueprint
