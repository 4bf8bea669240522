package blueprint

import (
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
	PricingTiered           = "tiered"
	PricingGuideFlat        = "flat-guide"
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
	if len(b.DNS.ForwardToAWS) == 0 && b.Cluster.EndpointHost != "" {
		if d, err := dnsplan.ParseDomain(b.Cluster.EndpointHost); err == nil {
			b.DNS.ForwardToAWS = []dnsplan.Domain{d}
		}
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
