package blueprint

import (
	"fmt"

	"github.com/hybridkit/hybridkit/dnsplan"
	"github.com/hybridkit/hybridkit/firewall"
	ivalidation "github.com/hybridkit/hybridkit/internal/validation"
	"github.com/hybridkit/hybridkit/netplan"
	"github.com/hybridkit/hybridkit/nodeconfig"
)

// AWS is the AWS side of a blueprint as typed values: what the bundle's
// aws/ scripts create, in their order, for a program that calls AWS
// itself (the module github.com/hybridkit/hybridkit/awssdk turns it into
// aws-sdk-go-v2 inputs). It holds no secret: the activation code is an
// output of AWS.
type AWS struct {
	ClusterName string `json:"clusterName"`
	Region      string `json:"region"`
	AccountID   string `json:"accountId"`
	// RemoteNetworks is the cluster's remoteNetworkConfig
	// (aws/01-cluster-remote-networks.sh).
	RemoteNetworks netplan.RemoteNetworkConfig `json:"remoteNetworks"`
	// Connectivity and Routing are the Transit Gateway, its attachment,
	// the Direct Connect gateway or the VPN, and the VPC routes to the
	// remote networks and site destinations (aws/02-connectivity.sh).
	Connectivity netplan.Connectivity `json:"connectivity"`
	Routing      netplan.RoutingPlan  `json:"routing"`
	// ClusterSecurityGroup are the rules the cluster security group needs
	// for the hybrid flows (aws/03-cluster-security-group.sh); its ID is
	// the cluster's, known once the cluster exists.
	ClusterSecurityGroup firewall.SecurityGroupRules `json:"clusterSecurityGroup"`
	// Identity is the Hybrid Nodes role, its access entry and the SSM
	// activation or IAM Roles Anywhere profile (aws/04-identity.sh).
	Identity nodeconfig.Identity `json:"identity"`
	// DNS is the Route 53 Resolver endpoints, rules and associations
	// (aws/05-route53-resolver.sh); nil when the plan has no endpoint.
	DNS *dnsplan.AWSRequests `json:"dns,omitempty"`
}

// AWS returns the AWS side of b (after Default on a copy). An invalid
// blueprint returns Validate's error, with every problem and its path.
func (b Blueprint) AWS() (AWS, error) {
	secret := b.secret()
	bt, errs := compile(b, nil)
	if len(errs) > 0 {
		return AWS{}, ivalidation.ToError("blueprint", redactErrors(errs, secret))
	}
	c := bt.bp.Cluster
	out := AWS{ClusterName: c.Name, Region: c.Region, AccountID: c.AccountID,
		Connectivity: bt.conn, Routing: bt.routing, Identity: bt.identity}
	// The models validated in compile: an error here is a bug, reported
	// as Render reports it.
	var err error
	if out.RemoteNetworks, err = bt.plan.RemoteNetworkConfig(); err != nil {
		return AWS{}, fmt.Errorf("blueprint: the remote networks: %w", err)
	}
	if out.ClusterSecurityGroup, err = firewall.SecurityGroup(bt.plan, bt.rules, firewall.PeerClusterENIs()); err != nil {
		return AWS{}, fmt.Errorf("blueprint: the cluster security group: %w", err)
	}
	if bt.dns.Inbound != nil || bt.dns.Outbound != nil {
		req, err := bt.dns.Requests()
		if err != nil {
			return AWS{}, fmt.Errorf("blueprint: the Route 53 Resolver requests: %w", err)
		}
		out.DNS = &req
	}
	return out, nil
}
