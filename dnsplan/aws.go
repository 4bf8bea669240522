package dnsplan

import (
	"encoding/json"
	"hash/fnv"
	"net/netip"
	"slices"
	"strconv"

	"github.com/hybridkit/hybridkit/internal/shellscript"
)

// Endpoint directions (Route 53 Resolver API, ResolverEndpointDirection).
const (
	DirectionInbound  = "INBOUND"
	DirectionOutbound = "OUTBOUND"
)

// IPAddressRequest is one address of CreateResolverEndpoint.
type IPAddressRequest struct {
	SubnetID string `json:"SubnetId"`
	IP       string `json:"Ip"`
}

// CreateResolverEndpointInput is the CreateResolverEndpoint request, shaped
// like the Route 53 Resolver API (and aws-sdk-go-v2's
// route53resolver.CreateResolverEndpointInput).
type CreateResolverEndpointInput struct {
	// CreatorRequestID is derived from the VPC and direction, so running
	// the same request twice returns the existing endpoint.
	CreatorRequestID     string             `json:"CreatorRequestId"`
	Name                 string             `json:"Name"`
	Direction            string             `json:"Direction"`
	SecurityGroupIDs     []string           `json:"SecurityGroupIds"`
	IPAddresses          []IPAddressRequest `json:"IpAddresses"`
	ResolverEndpointType string             `json:"ResolverEndpointType"`
	Protocols            []string           `json:"Protocols"`
}

// TargetAddress is a rule target.
type TargetAddress struct {
	IP   string `json:"Ip"`
	Port int32  `json:"Port"`
}

// CreateResolverRuleInput is the CreateResolverRule request.
// ResolverEndpointID is the outbound endpoint's ID, which only exists once
// the endpoint is created: the caller fills it in (the script uses the ID
// it captured).
type CreateResolverRuleInput struct {
	CreatorRequestID   string          `json:"CreatorRequestId"`
	Name               string          `json:"Name"`
	RuleType           string          `json:"RuleType"`
	DomainName         string          `json:"DomainName"`
	TargetIPs          []TargetAddress `json:"TargetIps,omitempty"`
	ResolverEndpointID string          `json:"ResolverEndpointId,omitempty"`
}

// RuleAssociation is an AssociateResolverRule request, naming the rule by
// its Name (its ID is known once it is created).
type RuleAssociation struct {
	RuleName string `json:"RuleName"`
	VPCID    string `json:"VPCId"`
}

// SecurityGroupRule is one DNS rule of an endpoint's security group, as
// an EC2 IpPermission on GroupID.
type SecurityGroupRule struct {
	GroupID string `json:"groupId"`
	// Ingress or egress.
	Direction string       `json:"direction"`
	Protocol  string       `json:"protocol"`
	Port      uint16       `json:"port"`
	CIDR      netip.Prefix `json:"cidr"`
	Purpose   string       `json:"purpose"`
}

// AWSRequests is the AWS side of the plan as data a Go caller can hand to
// the AWS SDK, in order: security-group rules, endpoints, rules (after
// setting the outbound endpoint's ID), associations.
type AWSRequests struct {
	SecurityGroupRules []SecurityGroupRule           `json:"securityGroupRules"`
	Endpoints          []CreateResolverEndpointInput `json:"endpoints"`
	Rules              []CreateResolverRuleInput     `json:"rules"`
	Associations       []RuleAssociation             `json:"associations"`
}

// Requests returns the plan's AWS requests. The plan must validate.
//
// Security groups: the inbound endpoint accepts TCP and UDP 53 from each
// of the site's DNS servers; the outbound endpoint may send TCP and UDP to
// each rule target's port ("Inbound and outbound rules must allow TCP and
// UDP access", CreateResolverEndpoint SecurityGroupIds).
func (p Plan) Requests() (AWSRequests, error) {
	p = p.defaulted()
	if err := p.Validate(); err != nil {
		return AWSRequests{}, err
	}
	var out AWSRequests
	if in := p.Inbound; in != nil {
		for _, s := range p.OnPrem.Servers {
			for _, proto := range []string{"tcp", "udp"} {
				out.SecurityGroupRules = append(out.SecurityGroupRules, SecurityGroupRule{GroupID: in.SecurityGroupID, Direction: "ingress", Protocol: proto, Port: 53, CIDR: hostPrefix(s), Purpose: "DNS from the site's resolver to the inbound endpoint"})
			}
		}
		out.Endpoints = append(out.Endpoints, endpointInput(p.VPCID, DirectionInbound, *in))
	}
	if ob := p.Outbound; ob != nil {
		type dst struct {
			ip   netip.Addr
			port uint16
		}
		var dsts []dst
		for _, r := range p.forwardRules() {
			for _, t := range r.Targets {
				if d := (dst{t.IP, t.port()}); !slices.Contains(dsts, d) {
					dsts = append(dsts, d)
				}
			}
		}
		for _, d := range dsts {
			for _, proto := range []string{"tcp", "udp"} {
				out.SecurityGroupRules = append(out.SecurityGroupRules, SecurityGroupRule{GroupID: ob.SecurityGroupID, Direction: "egress", Protocol: proto, Port: d.port, CIDR: hostPrefix(d.ip), Purpose: "DNS from the outbound endpoint to an on-premises server"})
			}
		}
		out.Endpoints = append(out.Endpoints, endpointInput(p.VPCID, DirectionOutbound, *ob))
	}
	for _, r := range p.Rules {
		in := CreateResolverRuleInput{CreatorRequestID: "hybridkit-" + p.VPCID + "-rule-" + domainHash(r.Domain), Name: r.Name, RuleType: string(r.Type), DomainName: r.Domain.String()}
		for _, t := range r.Targets {
			in.TargetIPs = append(in.TargetIPs, TargetAddress{IP: t.IP.String(), Port: int32(t.port())})
		}
		out.Rules = append(out.Rules, in)
		for _, v := range r.VPCIDs {
			out.Associations = append(out.Associations, RuleAssociation{RuleName: r.Name, VPCID: v})
		}
	}
	return out, nil
}

// domainHash keeps a rule's creator request ID short (at most 255
// characters) and stable for the same domain.
func domainHash(d Domain) string {
	h := fnv.New64a()
	h.Write([]byte(d.name))
	return strconv.FormatUint(h.Sum64(), 16)
}

func hostPrefix(a netip.Addr) netip.Prefix { return netip.PrefixFrom(a, a.BitLen()) }

func endpointInput(vpc, direction string, e Endpoint) CreateResolverEndpointInput {
	in := CreateResolverEndpointInput{
		CreatorRequestID: "hybridkit-" + vpc + "-" + direction, Name: e.Name, Direction: direction,
		SecurityGroupIDs: []string{e.SecurityGroupID}, ResolverEndpointType: "IPV4", Protocols: []string{"Do53"},
	}
	for _, ip := range e.IPs {
		in.IPAddresses = append(in.IPAddresses, IPAddressRequest{SubnetID: ip.SubnetID, IP: ip.IP.String()})
	}
	return in
}

// AWSScript writes the AWS CLI commands for Requests: authorize the DNS
// security-group rules, create the endpoints, wait for the outbound one,
// create every rule, and associate every rule with its VPCs — a rule does
// nothing until it is associated. Every value is quoted by the shell
// writer; JSON arguments are encoded with encoding/json. The plan must
// validate.
func AWSScript(p Plan) ([]byte, error) {
	p = p.defaulted()
	req, err := p.Requests()
	if err != nil {
		return nil, err
	}
	L, Ls, R := shellscript.Lit, shellscript.Lits, shellscript.Ref
	region := Ls("--region", p.Region)
	s := shellscript.New("Route 53 Resolver for the EKS cluster VPC " + p.VPCID + " (" + p.Region + "): endpoints, rules and their associations.")
	if len(req.SecurityGroupRules) > 0 {
		s.Blank()
		s.Comment("DNS through the endpoints' security groups (TCP and UDP).")
	}
	for _, r := range req.SecurityGroupRules {
		perm := map[string]any{"IpProtocol": r.Protocol, "FromPort": r.Port, "ToPort": r.Port,
			"IpRanges": []map[string]string{{"CidrIp": r.CIDR.String(), "Description": r.Purpose}}}
		js, err := json.Marshal([]any{perm})
		if err != nil {
			return nil, err
		}
		s.Run(append(Ls("aws", "ec2", "authorize-security-group-"+r.Direction, "--group-id", r.GroupID, "--ip-permissions", string(js)), region...)...)
	}
	vars := map[string]string{DirectionInbound: "INBOUND_ENDPOINT_ID", DirectionOutbound: "OUTBOUND_ENDPOINT_ID"}
	for _, e := range req.Endpoints {
		s.Blank()
		s.Comment(e.Direction + " endpoint " + e.Name + ".")
		args := Ls("aws", "route53resolver", "create-resolver-endpoint", "--creator-request-id", e.CreatorRequestID, "--name", e.Name,
			"--direction", e.Direction, "--security-group-ids")
		args = append(args, Ls(e.SecurityGroupIDs...)...)
		args = append(args, L("--ip-addresses"))
		for _, ip := range e.IPAddresses {
			args = append(args, L("SubnetId="+ip.SubnetID+",Ip="+ip.IP))
		}
		args = append(args, Ls("--resolver-endpoint-type", e.ResolverEndpointType, "--query", "ResolverEndpoint.Id", "--output", "text")...)
		s.Capture(vars[e.Direction], append(args, region...)...)
	}
	// Each endpoint is waited for once all are created, so they come up
	// side by side.
	needs := map[string]string{
		DirectionInbound:  "The site's forwarders need the inbound endpoint; wait until it is OPERATIONAL.",
		DirectionOutbound: "Rules need the outbound endpoint; wait until it is OPERATIONAL.",
	}
	for _, e := range req.Endpoints {
		s.Comment(needs[e.Direction])
		s.WaitFor("OPERATIONAL", 60, 10, slices.Concat(Ls("aws", "route53resolver", "get-resolver-endpoint", "--resolver-endpoint-id"), []shellscript.Word{R(vars[e.Direction])},
			Ls("--query", "ResolverEndpoint.Status", "--output", "text"), region)...)
	}
	for i, r := range req.Rules {
		v := "RULE_ID_" + strconv.Itoa(i+1)
		s.Blank()
		s.Comment(r.RuleType + " rule for " + r.DomainName + ".")
		args := Ls("aws", "route53resolver", "create-resolver-rule", "--creator-request-id", r.CreatorRequestID, "--name", r.Name,
			"--rule-type", r.RuleType, "--domain-name", r.DomainName)
		if len(r.TargetIPs) > 0 {
			args = append(args, L("--target-ips"))
			for _, t := range r.TargetIPs {
				args = append(args, L("Ip="+t.IP+",Port="+strconv.Itoa(int(t.Port))))
			}
			args = append(args, L("--resolver-endpoint-id"), R("OUTBOUND_ENDPOINT_ID"))
		}
		s.Capture(v, append(append(args, Ls("--query", "ResolverRule.Id", "--output", "text")...), region...)...)
		s.Comment("A rule does nothing until it is associated with a VPC.")
		for _, a := range req.Associations {
			if a.RuleName == r.Name {
				s.Run(slices.Concat(Ls("aws", "route53resolver", "associate-resolver-rule", "--resolver-rule-id"), []shellscript.Word{R(v)}, Ls("--vpc-id", a.VPCID), region)...)
			}
		}
	}
	return s.Bytes()
}
