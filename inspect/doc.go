// Package inspect runs hybridkit's checks the other way round: on the
// files and command outputs of a deployment that already exists —
// NodeConfigs, containerd configs, DNS forwarders, Corefiles, Kubernetes
// manifests, AWS CLI output, host commands, a rendered bundle — and
// returns the same findings, with the same codes, that generation would.
//
// File recognises a file's kind by its content (the name is a hint),
// parses it with the library's own strict parser and runs the owning
// package's Validate, Lint and Check. Files does that for many files and
// adds the checks that need two of them (Resolver rules and their
// associations, a bundle and its files, the cluster's networks and the
// host's routes). Context, when given, supplies what a file does not say:
// the VPC and its CIDRs, the cluster's networks and version, the site.
//
//	kind, findings, err := inspect.File("nodeconfig.yaml", data)
//	for _, f := range findings {
//		fmt.Println(f) // error: nodeconfig.yaml:19: spec.containerd.config: …
//	}
//
// Bytes in, findings out: the package reads no files (examples/inspect
// does). Input it cannot recognise or parse is reported as a finding
// (inspect/unknown-kind, inspect/parse-error), never skipped.
package inspect
