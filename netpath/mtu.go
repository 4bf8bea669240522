package netpath

import (
	"fmt"
	"net/netip"
	"strconv"

	"k8s.io/apimachinery/pkg/util/validation/field"

	"github.com/hybridkit/hybridkit/advice"
	ivalidation "github.com/hybridkit/hybridkit/internal/validation"
)

// HopKind is one kind of link on the path between a hybrid node and the VPC.
type HopKind string

// Hop kinds and the MTUs AWS allows on them.
const (
	// HopOnPrem is an on-premises switch or router port (any MTU 576–9216).
	HopOnPrem HopKind = "on-prem"
	// HopDXPrivateVIF is a Direct Connect private virtual interface: 1500
	// or 8500. Older pages of the Direct Connect User Guide say 9001; the
	// current API model says "The supported values are 1500 and 8500"
	// (NewPrivateVirtualInterface.Mtu,
	// https://github.com/aws/aws-sdk-go-v2/blob/service/directconnect/v1.55.8/service/directconnect/types/types.go),
	// and so does the console ("Jumbo MTU (MTU size 8500)").
	HopDXPrivateVIF HopKind = "dx-private-vif"
	// HopDXTransitVIF is a Direct Connect transit virtual interface: 1500
	// or 8500 (same page).
	HopDXTransitVIF HopKind = "dx-transit-vif"
	// HopTransitGateway carries at most 8500 bytes between VPC, Direct
	// Connect and peering attachments (Transit Gateway quotas, MTU).
	HopTransitGateway HopKind = "transit-gateway"
	// HopSiteToSiteVPN is an IPsec tunnel over a 1500-byte link. Inside it
	// AWS supports at most 1446 bytes (AES-GCM; Site-to-Site VPN user
	// guide, customer gateway best practices: MTU and MSS by algorithm).
	HopSiteToSiteVPN HopKind = "site-to-site-vpn"
	// HopVPC is inside the VPC: 9001 between instances (Amazon EC2 User
	// Guide, network MTU).
	HopVPC HopKind = "vpc"
)

// vpnInnerMTU is the largest packet inside an AWS Site-to-Site VPN tunnel.
const vpnInnerMTU = 1446

// Hop is one link of the path.
type Hop struct {
	Kind HopKind `json:"kind"`
	// Name labels the hop in reports ("dc-core", "dxcon-1").
	Name string `json:"name,omitempty"`
	// MTU is the link's MTU; 0 takes the kind's default (the largest it
	// allows; 1500 for a VPN's outer link; 9000 on premises).
	MTU int `json:"mtu,omitempty"`
}

// MTUs returns the MTUs AWS lets a hop of kind k have, smallest first, or
// nil for on-premises hops (any 576 to 9216) and unknown kinds: 1500 or
// 8500 on a Direct Connect virtual interface
// (https://docs.aws.amazon.com/directconnect/latest/UserGuide/set-jumbo-frames-vif.html),
// 8500 through a Transit Gateway
// (https://docs.aws.amazon.com/vpc/latest/tgw/transit-gateway-quotas.html#mtu-quotas),
// 1500 on a Site-to-Site VPN's outer link, and 1500 or 9001 in a VPC
// (https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/network_mtu.html).
func (k HopKind) MTUs() []int {
	switch k {
	case HopDXPrivateVIF:
		return []int{1500, 8500}
	case HopDXTransitVIF:
		return []int{1500, 8500}
	case HopTransitGateway:
		return []int{8500}
	case HopSiteToSiteVPN:
		return []int{1500}
	case HopVPC:
		return []int{1500, 9001}
	}
	return nil
}

// EffectiveMTU is the largest IP packet the hop carries end to end: MTU,
// or the kind's default when it is 0; a Site-to-Site VPN carries at most
// its inner 1446 bytes.
func (h Hop) EffectiveMTU() int {
	m := h.MTU
	if m == 0 {
		switch h.Kind {
		case HopOnPrem:
			m = 9000
		default:
			a := h.Kind.MTUs()
			m = a[len(a)-1]
		}
	}
	if h.Kind == HopSiteToSiteVPN {
		return min(m, vpnInnerMTU)
	}
	return m
}

// Encapsulation is what the CNI wraps pod packets in.
type Encapsulation string

// Encapsulations and their overhead in bytes.
const (
	EncapNone Encapsulation = "none"
	// EncapVXLAN: outer IPv4 20 + UDP 8 + VXLAN 8 + inner Ethernet 14
	// (RFC 7348); Cilium and Calico VXLAN.
	EncapVXLAN Encapsulation = "vxlan"
	// EncapGeneve: the same 50 bytes without options (RFC 8926).
	EncapGeneve Encapsulation = "geneve"
	// EncapWireGuard: Cilium budgets 80 bytes (outer IPv6 40 + UDP 8 +
	// WireGuard 32) so one MTU works for both families.
	EncapWireGuard Encapsulation = "wireguard"
	// EncapIPsec: ESP tunnel mode with AES-GCM, as in AWS's 1500 → 1446.
	EncapIPsec Encapsulation = "ipsec"
	// EncapIPIP: Calico IP-in-IP, one extra IPv4 header.
	EncapIPIP Encapsulation = "ipip"
)

// Overhead returns the bytes the encapsulation adds to each packet.
func (e Encapsulation) Overhead() (int, bool) {
	switch e {
	case EncapNone, "":
		return 0, true
	case EncapVXLAN, EncapGeneve:
		return 50, true
	case EncapWireGuard:
		return 80, true
	case EncapIPsec:
		return 1500 - vpnInnerMTU, true
	case EncapIPIP:
		return 20, true
	}
	return 0, false
}

// Path is the route a packet takes between a hybrid node and the VPC.
type Path struct {
	Hops []Hop `json:"hops"`
	// Encapsulation is the CNI's overlay between nodes; none when pod
	// traffic is routed natively.
	Encapsulation Encapsulation `json:"encapsulation,omitempty"`
	// NodeMTU is the hybrid nodes' interface MTU, which Lint compares
	// with the path; 0 (not known) skips those checks.
	NodeMTU int `json:"nodeMtu,omitempty"`
}

// ValidateAt checks hop kinds and MTUs against what AWS allows.
func (p Path) ValidateAt(fp *field.Path) field.ErrorList {
	var errs field.ErrorList
	if len(p.Hops) == 0 {
		errs = append(errs, field.Required(fp.Child("hops"), "at least one hop"))
	}
	for i, h := range p.Hops {
		hp := fp.Child("hops").Index(i)
		switch h.Kind {
		case HopOnPrem:
			if h.MTU != 0 && (h.MTU < 576 || h.MTU > 9216) {
				errs = append(errs, field.Invalid(hp.Child("mtu"), h.MTU, "must be between 576 and 9216"))
			}
		case HopDXPrivateVIF, HopDXTransitVIF, HopTransitGateway, HopSiteToSiteVPN, HopVPC:
			if h.MTU != 0 && !containsInt(h.Kind.MTUs(), h.MTU) {
				errs = append(errs, field.NotSupported(hp.Child("mtu"), h.MTU, intStrings(h.Kind.MTUs())))
			}
		default:
			errs = append(errs, field.NotSupported(hp.Child("kind"), h.Kind, []HopKind{HopOnPrem, HopDXPrivateVIF, HopDXTransitVIF, HopTransitGateway, HopSiteToSiteVPN, HopVPC}))
		}
		errs = append(errs, ivalidation.PlainText(hp.Child("name"), h.Name)...)
	}
	if _, ok := p.Encapsulation.Overhead(); !ok {
		errs = append(errs, field.NotSupported(fp.Child("encapsulation"), p.Encapsulation, []Encapsulation{EncapNone, EncapVXLAN, EncapGeneve, EncapWireGuard, EncapIPsec, EncapIPIP}))
	}
	return errs
}

// Validate is ValidateAt at the root.
func (p Path) Validate() error { return ivalidation.ToError("netpath", p.ValidateAt(nil)) }

// MTU returns the path MTU — the smallest effective MTU of its hops — and
// the index of the hop that limits it (the first among equals). An empty
// path returns 0, -1.
func (p Path) MTU() (mtu, limitingHop int) {
	limitingHop = -1
	for i, h := range p.Hops {
		if m := h.EffectiveMTU(); limitingHop < 0 || m < mtu {
			mtu, limitingHop = m, i
		}
	}
	return mtu, limitingHop
}

// Limits returns every hop whose MTU is the path's, in path order (a
// Direct Connect VIF and a Transit Gateway both at 8500, say), each with
// its effective MTU filled in.
func (p Path) Limits() []Hop {
	mtu, _ := p.MTU()
	var out []Hop
	for _, h := range p.Hops {
		if m := h.EffectiveMTU(); m == mtu {
			h.MTU = m
			out = append(out, h)
		}
	}
	return out
}

// PodMTU returns the MTU pods get: the path MTU less the encapsulation.
func (p Path) PodMTU() int {
	mtu, _ := p.MTU()
	o, _ := p.Encapsulation.Overhead()
	return mtu - o
}

// PingPayload is the ICMP payload that fills the path MTU exactly: the MTU
// less the IPv4 (20) and ICMP (8) headers. For 8500 it is 8472, not the
// guide's 8972.
func (p Path) PingPayload() int {
	mtu, _ := p.MTU()
	return mtu - 28
}

// PingCommand returns the command that proves the path MTU: a ping with
// the don't-fragment flag and PingPayload bytes, which must succeed, while
// one byte more must fail.
func (p Path) PingCommand(target netip.Addr) []string {
	return []string{"ping", "-M", "do", "-s", strconv.Itoa(p.PingPayload()), "-c", "3", target.String()}
}

// Finding codes of Path.Lint.
const (
	CodeJumboClaim  advice.Code = "netpath/jumbo-frames-claim"
	CodeNodeMTUHigh advice.Code = "netpath/node-mtu-above-path"
)

// Lint compares the path with the nodes' interface MTU (NodeMTU; 0
// skips these checks). It reports a node MTU above the path MTU, at
// nodeMtu — large packets then depend on path MTU discovery, which
// silently fails where ICMP is filtered — and the guide's 9000-byte claim
// when a Transit Gateway or VPN caps the path, at the limiting hop.
func (p Path) Lint() []advice.Finding {
	var fs []advice.Finding
	mtu, hop := p.MTU()
	if hop < 0 || p.NodeMTU == 0 {
		return nil
	}
	limit := p.Hops[hop]
	if p.NodeMTU > mtu {
		fs = append(fs, advice.Finding{Level: advice.Warning, Code: CodeNodeMTUHigh, Field: field.NewPath("nodeMtu").String(),
			Message: fmt.Sprintf("the nodes send %d-byte packets but the path carries %d (limited by %s %s): set the node and pod MTU to %d, or make sure ICMP \"fragmentation needed\" reaches the nodes", p.NodeMTU, mtu, limit.Kind, limit.Name, mtu),
			Ref:     "https://docs.aws.amazon.com/vpc/latest/userguide/vpc-network-mtu.html"})
	}
	if p.NodeMTU >= 9000 && (limit.Kind == HopTransitGateway || limit.Kind == HopSiteToSiteVPN || limit.Kind == HopDXTransitVIF) {
		fs = append(fs, advice.Finding{Level: advice.Info, Code: CodeJumboClaim, Field: field.NewPath("hops").Index(hop).String(),
			Message: fmt.Sprintf("jumbo frames end to end are not possible through a %s: the path MTU is %d, so test with ping -M do -s %d, not 8972", limit.Kind, mtu, mtu-28),
			Ref:     "https://docs.aws.amazon.com/vpc/latest/tgw/transit-gateway-quotas.html#mtu-quotas"})
	}
	return fs
}

func containsInt(xs []int, x int) bool {
	for _, v := range xs {
		if v == x {
			return true
		}
	}
	return false
}

func intStrings(xs []int) []string {
	out := make([]string, len(xs))
	for i, x := range xs {
		out[i] = strconv.Itoa(x)
	}
	return out
}
