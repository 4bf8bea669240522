package blueprint

import (
	"net/netip"
	"slices"

	"k8s.io/apimachinery/pkg/util/validation/field"

	"github.com/hybridkit/hybridkit/storage"
)

// validateStorage checks each export: the share (storage.NFS's rules,
// whose server and path are the export's), an IPv4 server inside a
// network the plan routes, and one PersistentVolume name per export.
func (b Blueprint) validateStorage(sp *field.Path) field.ErrorList {
	var errs field.ErrorList
	routed := append(append([]netip.Prefix{}, b.Site.Networks...), b.VPC.CIDR, b.Site.RemoteNodeNetwork)
	for i, e := range b.Storage {
		ep := sp.Index(i)
		if j := slices.IndexFunc(b.Storage[:i], func(o Export) bool { return o.Name == e.Name }); j >= 0 {
			errs = append(errs, field.Duplicate(ep.Child("name"), e.Name+" (also "+sp.Index(j).String()+"): each export is a cluster-wide PersistentVolume of that name"))
		}
		if !e.Server.IsValid() {
			continue // the required tag reports it
		}
		errs = append(errs, storage.NFS{Server: e.Server.String(), Path: e.Path}.ValidateAt(ep)...)
		switch {
		case !e.Server.Is4():
			errs = append(errs, field.Invalid(ep.Child("server"), e.Server.String(), "must be the NFS server's IPv4 address"))
		case !slices.ContainsFunc(routed, func(p netip.Prefix) bool { return p.Contains(e.Server) }):
			errs = append(errs, field.Invalid(ep.Child("server"), e.Server.String(), "is in none of the plan's networks (site, remote node network, VPC): nothing routes the NFS traffic to it"))
		}
	}
	return errs
}

// validatePricing checks the owned costs and the cloud instances to
// compare with (their own rules, at their own paths).
func (b Blueprint) validatePricing(pp *field.Path) field.ErrorList {
	var errs field.ErrorList
	if o := b.Pricing.Owned; o != nil {
		errs = append(errs, o.ValidateAt(pp.Child("owned"))...)
	}
	for i, c := range b.Pricing.Cloud {
		errs = append(errs, c.ValidateAt(pp.Child("cloud").Index(i))...)
	}
	return errs
}
