package firewall

import (
	"encoding/json"
	"fmt"
	"net/netip"
	"slices"
	"strings"

	"k8s.io/apimachinery/pkg/util/validation/field"

	"github.com/hybridkit/hybridkit/internal/shellscript"
	ivalidation "github.com/hybridkit/hybridkit/internal/validation"
	"github.com/hybridkit/hybridkit/netplan"
)

// IPPermission has the shape of the EC2 API's IpPermission (aws-sdk-go-v2
// service/ec2/types.IpPermission) with the JSON names that
// `aws ec2 authorize-security-group-ingress --ip-permissions` accepts.
type IPPermission struct {
	// IPProtocol is "tcp", "udp", "icmp" or a protocol number as a string.
	IPProtocol string `json:"IpProtocol"`
	// FromPort and ToPort are the port range for TCP and UDP, the ICMP
	// type and code (-1 for all) for ICMP, and absent otherwise.
	FromPort *int32    `json:"FromPort,omitempty"`
	ToPort   *int32    `json:"ToPort,omitempty"`
	IPRanges []IPRange `json:"IpRanges,omitempty"`
	// UserIDGroupPairs name AWS-side security groups; never the hybrid side.
	UserIDGroupPairs []UserIDGroupPair `json:"UserIdGroupPairs,omitempty"`
}

// IPRange is an IPv4 CIDR with a description.
type IPRange struct {
	CIDRIP      string `json:"CidrIp"`
	Description string `json:"Description,omitempty"`
}

// UserIDGroupPair names a security group.
type UserIDGroupPair struct {
	GroupID     string `json:"GroupId"`
	Description string `json:"Description,omitempty"`
}

// SecurityGroupRules are the rules of one security group.
type SecurityGroupRules struct {
	Ingress []IPPermission `json:"ingress"`
	Egress  []IPPermission `json:"egress"`
}

// SecurityGroup returns the rules a security group needs when it is the
// scope end of flows: rules whose To is scope become ingress from From,
// rules whose From is scope become egress to To. On-premises peers are
// always CIDRs: hybrid nodes have no ENIs in the VPC, so a rule whose
// on-premises end is a security group (the adoption guide's
// sg-hybrid-nodes) matches no traffic, and SecurityGroup refuses the rule
// set with CodeOnPremSecurityGroup in the error, as it refuses any rule
// RuleSet.ValidateAt rejects. Typical scopes are PeerClusterENIs() for the
// EKS cluster security group and a Resolver endpoint's subnet.
func SecurityGroup(plan netplan.Plan, rules RuleSet, scope Peer) (SecurityGroupRules, error) {
	if errs := rules.ValidateAt(field.NewPath("rules"), plan); len(errs) > 0 {
		return SecurityGroupRules{}, ivalidation.ToError("firewall", errs)
	}
	var out SecurityGroupRules
	for i, r := range rules {
		var other Peer
		var into *[]IPPermission
		switch {
		case r.To.key() == scope.key():
			other, into = r.From, &out.Ingress
		case r.From.key() == scope.key():
			other, into = r.To, &out.Egress
		default:
			continue
		}
		perm := IPPermission{IPProtocol: r.Protocol.String()}
		switch {
		case r.Protocol.HasPorts():
			first, last := int32(r.Ports.First), int32(r.Ports.Last)
			if r.Ports.All() {
				first, last = 0, 65535
			}
			perm.FromPort, perm.ToPort = &first, &last
		case r.Protocol == ProtoICMP:
			typ, code := int32(-1), int32(-1)
			if r.ICMPType != nil {
				typ = int32(*r.ICMPType)
			}
			perm.FromPort, perm.ToPort = &typ, &code
		default:
			perm.IPProtocol = fmt.Sprint(uint8(r.Protocol))
		}
		desc := sgDescription(r.Purpose)
		if other.isSecurityGroup() {
			perm.UserIDGroupPairs = []UserIDGroupPair{{GroupID: other.SecurityGroupID, Description: desc}}
		} else {
			ps, err := other.Resolve(plan)
			if err != nil {
				return SecurityGroupRules{}, fmt.Errorf("firewall: rules[%d]: %w", i, err)
			}
			for _, p := range ps {
				perm.IPRanges = append(perm.IPRanges, IPRange{CIDRIP: p.String(), Description: desc})
			}
		}
		*into = append(*into, perm)
	}
	return out, nil
}

// sgDescription keeps the characters security group rule descriptions
// accept (a-z, A-Z, 0-9, spaces and ._-:/()#,@[]+=&;{}!$*) and at most 255
// of them (EC2 API, IpRange.Description).
func sgDescription(s string) string {
	var b strings.Builder
	for _, r := range s {
		if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune(" ._-:/()#,@[]+=&;{}!$*", r) {
			b.WriteRune(r)
		}
		if b.Len() >= 255 {
			break
		}
	}
	return b.String()
}

// SGTarget names the security group a script changes: an ID, or the
// cluster whose EKS-created cluster security group is looked up.
type SGTarget struct {
	GroupID     string `json:"groupId,omitempty"`
	ClusterName string `json:"clusterName,omitempty"`
	Region      string `json:"region,omitempty"`
}

// SecurityGroupScript writes the AWS CLI commands that add rules to the
// target group: one authorize-security-group-ingress or -egress per
// permission, with the permission as --ip-permissions JSON. Every value is
// quoted by the shell writer.
func SecurityGroupScript(title string, rules SecurityGroupRules, target SGTarget) ([]byte, error) {
	s := shellscript.New(title)
	region := []shellscript.Word{}
	if target.Region != "" {
		region = shellscript.Lits("--region", target.Region)
	}
	switch {
	case target.GroupID != "":
		s.Set("SG_ID", shellscript.Lit(target.GroupID))
	case target.ClusterName != "":
		s.Comment("The cluster security group EKS created for " + target.ClusterName + ".")
		s.Capture("SG_ID", slices.Concat(shellscript.Lits("aws", "eks", "describe-cluster", "--name", target.ClusterName,
			"--query", "cluster.resourcesVpcConfig.clusterSecurityGroupId", "--output", "text"), region)...)
	default:
		return nil, fmt.Errorf("firewall: the security group script needs a group ID or a cluster name")
	}
	for _, dir := range []struct {
		verb  string
		perms []IPPermission
	}{{"authorize-security-group-ingress", rules.Ingress}, {"authorize-security-group-egress", rules.Egress}} {
		for _, p := range dir.perms {
			js, err := json.Marshal([]IPPermission{p})
			if err != nil {
				return nil, fmt.Errorf("firewall: %w", err)
			}
			desc := ""
			if len(p.IPRanges) > 0 {
				desc = p.IPRanges[0].Description
			} else if len(p.UserIDGroupPairs) > 0 {
				desc = p.UserIDGroupPairs[0].Description
			}
			s.Blank()
			s.Comment(desc)
			args := slices.Concat(shellscript.Lits("aws", "ec2", dir.verb, "--group-id"), []shellscript.Word{shellscript.Ref("SG_ID")},
				shellscript.Lits("--ip-permissions", string(js)), region)
			s.Run(args...)
		}
	}
	return s.Bytes()
}

// cidrStrings formats prefixes.
func cidrStrings(ps []netip.Prefix) []string {
	out := make([]string, len(ps))
	for i, p := range ps {
		out[i] = p.String()
	}
	return out
}
