// Package placement decides where each workload of a hybrid cluster runs,
// using only labels, taints and resources that really exist: GPU work on
// hybrid GPU nodes (GPU), everything that needs AWS on EC2 nodes (Cloud),
// replicas spread across both sides (HA), the Cluster Autoscaler for the
// cloud node groups (Autoscaler), AWS's mixed-cluster rules, and a Lint
// for PodSpecs written by hand.
//
//	dep := &appsv1.Deployment{…}
//	err := placement.Apply(dep, placement.HA{})
//	err = placement.Apply(dep, placement.Cloud{})
//
// EC2 nodes have no eks.amazonaws.com/compute-type label — only hybrid
// (hybrid), Auto Mode (auto) and Fargate (fargate) nodes do — so "in the
// cloud" is written as NotIn [hybrid], never as compute-type=ec2.
package placement
