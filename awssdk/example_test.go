package awssdk_test

import (
	"context"
	"fmt"

	"github.com/hybridkit/hybridkit/awssdk"
	"github.com/hybridkit/hybridkit/blueprint"
)

// ExampleBuild lists the calls of the reference blueprint, in order, with
// the IDs each takes from an earlier call.
func ExampleBuild() {
	a, err := blueprint.Reference().AWS()
	if err != nil {
		fmt.Println(err)
		return
	}
	p, err := awssdk.Build(a)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, s := range p.Steps {
		fmt.Printf("%s %s %s", s.Service, s.Operation, s.ID)
		for _, n := range s.Needs {
			fmt.Printf(" %s<-%s", n.Field, n.Step)
		}
		if s.AwaitState != "" {
			fmt.Printf(" (await %s)", s.AwaitState)
		}
		fmt.Println()
	}
	// Output:
	// eks UpdateClusterConfig cluster-remote-networks
	// ec2 CreateTransitGateway transit-gateway (await available)
	// ec2 CreateTransitGatewayVpcAttachment transit-gateway-vpc-attachment TransitGatewayId<-transit-gateway (await available)
	// directconnect CreateDirectConnectGateway direct-connect-gateway
	// directconnect CreateDirectConnectGatewayAssociation direct-connect-gateway-association DirectConnectGatewayId<-direct-connect-gateway GatewayId<-transit-gateway
	// ec2 CreateRoute route/rtb-0aaaaaaaaaaaaaaa1/192.168.10.0/24 TransitGatewayId<-transit-gateway
	// ec2 CreateRoute route/rtb-0aaaaaaaaaaaaaaa1/10.244.0.0/16 TransitGatewayId<-transit-gateway
	// ec2 CreateRoute route/rtb-0aaaaaaaaaaaaaaa1/192.168.1.53/32 TransitGatewayId<-transit-gateway
	// ec2 CreateRoute route/rtb-0aaaaaaaaaaaaaaa1/192.168.1.54/32 TransitGatewayId<-transit-gateway
	// ec2 CreateRoute route/rtb-0aaaaaaaaaaaaaaa1/192.168.1.100/32 TransitGatewayId<-transit-gateway
	// ec2 CreateRoute route/rtb-0ccccccccccccccc3/192.168.10.0/24 TransitGatewayId<-transit-gateway
	// ec2 CreateRoute route/rtb-0ccccccccccccccc3/10.244.0.0/16 TransitGatewayId<-transit-gateway
	// ec2 CreateRoute route/rtb-0ccccccccccccccc3/192.168.1.53/32 TransitGatewayId<-transit-gateway
	// ec2 CreateRoute route/rtb-0ccccccccccccccc3/192.168.1.54/32 TransitGatewayId<-transit-gateway
	// ec2 CreateRoute route/rtb-0ccccccccccccccc3/192.168.1.100/32 TransitGatewayId<-transit-gateway
	// eks DescribeCluster cluster
	// ec2 AuthorizeSecurityGroupIngress cluster-sg/ingress/0 GroupId<-cluster
	// ec2 AuthorizeSecurityGroupIngress cluster-sg/ingress/1 GroupId<-cluster
	// ec2 AuthorizeSecurityGroupEgress cluster-sg/egress/0 GroupId<-cluster
	// ec2 AuthorizeSecurityGroupEgress cluster-sg/egress/1 GroupId<-cluster
	// ec2 AuthorizeSecurityGroupEgress cluster-sg/egress/2 GroupId<-cluster
	// ec2 AuthorizeSecurityGroupEgress cluster-sg/egress/3 GroupId<-cluster
	// iam CreateRole role
	// iam PutRolePolicy role-policy
	// iam AttachRolePolicy role-managed-policy/arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryPullOnly
	// iam AttachRolePolicy role-managed-policy/arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore
	// eks CreateAccessEntry access-entry
	// ssm CreateActivation ssm-activation
	// ec2 AuthorizeSecurityGroupIngress resolver-sg/ingress/0
	// ec2 AuthorizeSecurityGroupIngress resolver-sg/ingress/1
	// ec2 AuthorizeSecurityGroupIngress resolver-sg/ingress/2
	// ec2 AuthorizeSecurityGroupIngress resolver-sg/ingress/3
	// ec2 AuthorizeSecurityGroupEgress resolver-sg/egress/4
	// ec2 AuthorizeSecurityGroupEgress resolver-sg/egress/5
	// ec2 AuthorizeSecurityGroupEgress resolver-sg/egress/6
	// ec2 AuthorizeSecurityGroupEgress resolver-sg/egress/7
	// route53resolver CreateResolverEndpoint resolver-endpoint/inbound (await OPERATIONAL)
	// route53resolver CreateResolverEndpoint resolver-endpoint/outbound (await OPERATIONAL)
	// route53resolver CreateResolverRule resolver-rule/onprem-company-local ResolverEndpointId<-resolver-endpoint/outbound
	// route53resolver AssociateResolverRule resolver-rule-association/onprem-company-local/vpc-0a1b2c3d4e5f67890 ResolverRuleId<-resolver-rule/onprem-company-local
}

// ExampleApply applies the reference plan twice to a local stand-in for
// AWS (real SDK clients, a recording HTTP server): the first run creates
// everything, the second finds it all and creates nothing. With real
// clients, build them from config.LoadDefaultConfig.
func ExampleApply() {
	fake, clients, stop := startFakeAWS()
	defer stop()
	a, err := blueprint.Reference().AWS()
	if err != nil {
		fmt.Println(err)
		return
	}
	p, err := awssdk.Build(a)
	if err != nil {
		fmt.Println(err)
		return
	}
	for run := 1; run <= 2; run++ {
		res, err := awssdk.Apply(context.Background(), clients, p)
		if err != nil {
			fmt.Println(err)
			return
		}
		outcomes := map[awssdk.Outcome]int{}
		for _, s := range res.Steps {
			outcomes[s.Outcome]++
		}
		fmt.Printf("run %d: %d created, %d updated, %d existing, %d read; activation code returned: %t; resources in AWS: %d\n",
			run, outcomes[awssdk.OutcomeCreated], outcomes[awssdk.OutcomeUpdated], outcomes[awssdk.OutcomeExisting], outcomes[awssdk.OutcomeRead],
			res.ActivationCode != "", fake.created)
	}
	// Output:
	// run 1: 38 created, 1 updated, 0 existing, 1 read; activation code returned: true; resources in AWS: 38
	// run 2: 0 created, 0 updated, 39 existing, 1 read; activation code returned: false; resources in AWS: 38
}
