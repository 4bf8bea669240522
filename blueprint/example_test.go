package blueprint_test

import (
	"errors"
	"fmt"
	"net/netip"
	"strings"

	utilerrors "k8s.io/apimachinery/pkg/util/errors"
	"k8s.io/apimachinery/pkg/util/validation/field"

	"github.com/hybridkit/hybridkit/advice"
	"github.com/hybridkit/hybridkit/blueprint"
)

// Build a blueprint in Go — here the reference scenario with four servers
// — and render it.
func ExampleRender() {
	b := blueprint.Reference()
	b.NodePools[0].Count = 4
	bundle, findings, err := blueprint.Render(b)
	if err != nil {
		panic(err)
	}
	kinds := map[blueprint.Kind]int{}
	for _, f := range bundle.Files() {
		kinds[f.Kind]++
	}
	fmt.Println(kinds[blueprint.KindNodeConfig], "NodeConfigs,", bundle.Len(), "files,", len(findings), "finding(s)")
	readme, _ := bundle.File("README.md")
	for _, line := range strings.Split(string(readme.Content), "\n") {
		if strings.HasPrefix(line, "| Monthly cost") {
			fmt.Println(line)
		}
	}
	// Output:
	// 4 NodeConfigs, 48 files, 11 finding(s)
	// | Monthly cost | $12,686.12: hybrid nodes $12,613.12, cluster $73.00 |
}

// Render returns every error with the blueprint path it belongs to.
func ExampleRender_errors() {
	b := blueprint.Reference()
	b.NodePools[0].FirstAddress = b.VPC.Subnets[0].CIDR.Addr().Next()
	b.DNS.Inbound.IPs[0].Subnet = "public-a"
	_, _, err := blueprint.Render(b)
	var agg utilerrors.Aggregate
	if errors.As(err, &agg) {
		for _, e := range agg.Errors() {
			var fe *field.Error
			if errors.As(e, &fe) {
				fmt.Println(fe.Field, fe.Type)
			}
		}
	}
	// Output:
	// dns.inbound.ips[0].subnet Not found
	// nodePools[0].firstAddress Invalid value
}

func ExampleBlueprint_Validate() {
	b := blueprint.Reference()
	b.NodePools[0].Count = 0
	b.Site.Zone = ""
	fmt.Println(b.Validate())
	// Output:
	// blueprint: 2 invalid fields: site.zone: Required value; nodePools[0].count: Invalid value: 0: must be at least 1
}

func ExampleBlueprint_ValidateAt() {
	b := blueprint.Reference()
	b.Storage[0].Server = netip.MustParseAddr("172.31.5.5")
	for _, e := range b.ValidateAt(field.NewPath("spec")) {
		fmt.Println(e.Field)
	}
	// Output:
	// spec.storage[0].server
}

func ExampleBlueprint_Lint() {
	for _, f := range blueprint.Reference().Lint() {
		if f.Level == advice.Warning {
			fmt.Println(f.Code, "at", f.Field)
		}
	}
	// Output:
	// dnsplan/local-domain at dns.zones[0]
	// storage/path-not-measured at storage[0].measurement.bandwidthBps
	// storage/path-not-measured at storage[0].measurement.latency
}

// The AWS side of a blueprint as typed values, for a program that calls
// AWS itself: the remote networks, the routes to the Transit Gateway,
// the cluster security group's rules, the role and the Resolver requests.
func ExampleBlueprint_AWS() {
	a, err := blueprint.Reference().AWS()
	if err != nil {
		panic(err)
	}
	fmt.Println(a.ClusterName, a.Region)
	fmt.Println("remote node networks:", a.RemoteNetworks.RemoteNodeNetworks[0].CIDRs)
	fmt.Println("VPC routes:", len(a.Routing.VPCRoutes), "first", a.Routing.VPCRoutes[0].Destination, "in", a.Routing.VPCRoutes[0].RouteTableID)
	fmt.Println("cluster security group:", len(a.ClusterSecurityGroup.Ingress), "ingress,", len(a.ClusterSecurityGroup.Egress), "egress")
	fmt.Println("role:", a.Identity.RoleARN())
	fmt.Println("resolver:", len(a.DNS.Endpoints), "endpoints,", len(a.DNS.Rules), "rule(s)")

	b := blueprint.Reference()
	b.Cluster.Region = "mars-1"
	_, err = b.AWS()
	var agg utilerrors.Aggregate
	fmt.Println(errors.As(err, &agg))
	// Output:
	// gpu-hybrid-cluster ap-northeast-2
	// remote node networks: [192.168.10.0/24]
	// VPC routes: 10 first 192.168.10.0/24 in rtb-0aaaaaaaaaaaaaaa1
	// cluster security group: 2 ingress, 4 egress
	// role: arn:aws:iam::111122223333:role/AmazonEKSHybridNodesRole
	// resolver: 2 endpoints, 1 rule(s)
	// true
}
