package blueprint

import (
	"maps"
	"slices"

	"github.com/hybridkit/hybridkit/dnsplan"
	"github.com/hybridkit/hybridkit/netplan"
	"github.com/hybridkit/hybridkit/storage"
)

// Defaults the blueprint fills.
const (
	DefaultNodeMTU          = 9000
	DefaultTrainingImage    = "pytorch/pytorch:2.5.1-cuda12.4-cudnn9-runtime"
	DefaultWebImage         = "public.ecr.aws/nginx/nginx:1.27"
	DefaultCriticalReplicas = 6
)

// Default fills what the blueprint leaves unset: Cilium, private endpoint
// access, a 9000-byte node MTU, a transit VIF, the tiered price table over
// 730 hours, hybrid-only NFSv4 exports, the workloads' images and
// replicas, and the domains forwarded to AWS (the cluster's endpoint name
// when known). It never overwrites a set field and is idempotent; nil is
// a no-op.
func (b *Blueprint) Default() {
	if b == nil {
		return
	}
	if b.CNI == "" {
		b.CNI = netplan.CNICilium
	}
	if b.Cluster.EndpointAccess == "" {
		b.Cluster.EndpointAccess = dnsplan.AccessPrivate
	}
	if b.Site.NodeMTU == 0 {
		b.Site.NodeMTU = DefaultNodeMTU
	}
	if b.Connectivity.TransitGatewayASN == 0 {
		b.Connectivity.TransitGatewayASN = 64512
	}
	if dx := b.Connectivity.DirectConnect; dx != nil && dx.VIF == "" {
		dx.VIF = "transit"
	}
	if len(b.DNS.ForwardToAWS) == 0 && !b.Cluster.EndpointHost.IsZero() {
		b.DNS.ForwardToAWS = []dnsplan.Domain{b.Cluster.EndpointHost}
	}
	for i := range b.Storage {
		e := &b.Storage[i]
		if e.Namespace == "" {
			e.Namespace = "default"
		}
		if e.NFSVersion == 0 {
			e.NFSVersion = 4
		}
		if e.Placement == "" {
			e.Placement = storage.HybridOnly
		}
	}
	w := &b.Workloads
	if w.TrainingImage == "" {
		w.TrainingImage = DefaultTrainingImage
	}
	if w.WebImage == "" {
		w.WebImage = DefaultWebImage
	}
	if w.CriticalReplicas == 0 {
		w.CriticalReplicas = DefaultCriticalReplicas
	}
	if b.Pricing.Table == "" {
		b.Pricing.Table = PricingTiered
	}
	if b.Pricing.MonthHours == 0 {
		b.Pricing.MonthHours = 730
	}
}

// clone returns a copy of b that shares no mutable memory with it, so
// Render can default and read it without touching the caller's value.
func (b Blueprint) clone() Blueprint {
	c := b
	c.VPC.Subnets = slices.Clone(b.VPC.Subnets)
	c.Site.Networks = slices.Clone(b.Site.Networks)
	c.Connectivity.DirectConnect = clonePtr(b.Connectivity.DirectConnect)
	if v := b.Connectivity.VPN; v != nil {
		vc := *v
		vc.TunnelInsideCIDRs = slices.Clone(v.TunnelInsideCIDRs)
		c.Connectivity.VPN = &vc
	}
	if m := b.Connectivity.Measurement; m != nil {
		mc := *m
		mc.Measured = slices.Clone(m.Measured)
		c.Connectivity.Measurement = &mc
	}
	c.DNS.Zones = slices.Clone(b.DNS.Zones)
	c.DNS.Servers = slices.Clone(b.DNS.Servers)
	c.DNS.Inbound.IPs = slices.Clone(b.DNS.Inbound.IPs)
	c.DNS.Outbound.IPs = slices.Clone(b.DNS.Outbound.IPs)
	c.DNS.ForwardToAWS = slices.Clone(b.DNS.ForwardToAWS)
	c.Credentials.SSM = clonePtr(b.Credentials.SSM)
	c.Credentials.IAMRolesAnywhere = clonePtr(b.Credentials.IAMRolesAnywhere)
	c.NodePools = slices.Clone(b.NodePools)
	for i := range c.NodePools {
		p := &c.NodePools[i]
		p.GPU = clonePtr(p.GPU)
		p.Labels = maps.Clone(p.Labels)
	}
	if g := b.GPUSharing; g != nil {
		gc := *g
		gc.FailRequestsGreaterThanOne = clonePtr(g.FailRequestsGreaterThanOne)
		c.GPUSharing = &gc
	}
	c.Storage = slices.Clone(b.Storage)
	for i := range c.Storage {
		if m := c.Storage[i].Measurement; m != nil {
			mc := *m
			mc.Measured = slices.Clone(m.Measured)
			c.Storage[i].Measurement = &mc
		}
	}
	c.Pricing.Cloud = slices.Clone(b.Pricing.Cloud)
	c.Pricing.Owned = clonePtr(b.Pricing.Owned)
	return c
}

func clonePtr[T any](p *T) *T {
	if p == nil {
		return nil
	}
	c := *p
	return &c
}
