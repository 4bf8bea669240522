// Package poc grades the proof of concept of an EKS Hybrid Nodes
// deployment from the raw output of its checks: the GPU nodes and a GPU
// pod, a cloud pod's read and write on the on-premises NFS volume, the
// link from a cloud node to a hybrid node (ping, iperf3, don't-fragment
// pings at the node's and the pod's payload), routing between pods on the
// two sides, and DNS both ways.
//
// The checks are run by the bundle's verify/poc.sh (package blueprint
// renders it), which writes each command's output into a results folder,
// one file per check (the File… constants) with its exit status beside it
// in "<file>.exit". Grade reads such a folder, given as a map from file
// name to content, against a Plan:
//
//	report := poc.Grade(plan, results)
//	os.Stdout.Write(report.Markdown())
//	if !report.Pass { … }
//
// A bad measurement is a failing item, never an error: every item is
// graded and says what to look at when it fails. Missing output is an
// item that did not run.
package poc
