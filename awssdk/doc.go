// Package awssdk turns the AWS side of a hybridkit blueprint into
// aws-sdk-go-v2 calls: the SDK's own input types, in the order they must be
// made, with the IDs one call takes from another as data ([Need]), and an
// idempotent [Apply] that makes them.
//
// It is a module of its own (github.com/hybridkit/hybridkit/awssdk) so that
// importing hybridkit never downloads the AWS SDK.
//
// The calls are those of the bundle's aws/ scripts, one for one:
// UpdateClusterConfig with the remote networks; the Transit Gateway, its
// VPC attachment, the Direct Connect gateway and association or the
// customer gateway and VPN connection, and a CreateRoute per VPC route;
// DescribeCluster for the cluster security group and one
// AuthorizeSecurityGroupIngress or -Egress per permission; the Hybrid Nodes
// role, its policies, its HYBRID_LINUX access entry and the SSM activation
// or IAM Roles Anywhere profile; the Route 53 Resolver security-group
// rules, endpoints, forwarding rules and their associations. [TrustAnchorInput] gives the
// IAM Roles Anywhere trust anchor, which exists before the plan.
//
// The shortest use, with clients from config.LoadDefaultConfig:
//
//	a, err := bp.AWS() // bp is a blueprint.Blueprint
//	if err != nil { … }
//	plan, err := awssdk.Build(a)
//	if err != nil { … }
//	res, err := awssdk.Apply(ctx, awssdk.Clients{EKS: eks.NewFromConfig(cfg), EC2: ec2.NewFromConfig(cfg), …}, plan)
//	// res.ActivationCode is the SSM activation's code: store it as a secret.
//
// A program that makes the calls itself reads Plan.Steps: each Input is
// complete but for the fields its Needs name, which take the ID at the
// producing step's Produces path in that step's output.
package awssdk
