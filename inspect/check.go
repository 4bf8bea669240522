package inspect

import (
	"github.com/hybridkit/hybridkit/advice"
)

// check parses the document as its kind and runs the kind's own checks;
// the checks that need other files run later, in crossCheck.
func (d *document) check() {
	switch d.kind {
	case KindNodeConfig:
		d.checkNodeConfig()
	case KindContainerd:
		d.checkContainerd()
	case KindCorefile:
		d.checkCorefile()
	case KindBIND:
		d.checkBIND()
	case KindUnbound:
		d.checkUnbound()
	case KindDnsmasq:
		d.checkDnsmasq()
	case KindManifests:
		d.checkManifests()
	case KindAWSSGs:
		d.checkSecurityGroups()
	case KindAWSRules:
		d.checkResolverRules()
	case KindAWSAssocs:
		d.checkResolverAssociations()
	case KindAWSCluster:
		d.checkCluster()
	case KindAWSVPCs:
		d.checkVPCs()
	case KindAWSRoutes:
		d.checkRouteTables()
	case KindIPRoute:
		d.checkRoutes()
	case KindNvidiaSMI:
		d.checkSMI()
	case KindOSRelease:
		d.checkOSRelease()
	case KindPing, KindIperf3:
		d.checkLink()
	case KindBundle:
		d.checkBundle()
	case KindEksctl:
		d.checkEksctl()
	default:
		d.add(advice.Finding{Level: advice.Warning, Code: CodeUnknownKind,
			Message: "inspect does not recognise this content as any kind it reads (NodeConfig, containerd, DNS, Kubernetes, AWS CLI, host command output, bundle.json), so nothing was checked",
			Ref:     "https://pkg.go.dev/github.com/hybridkit/hybridkit/inspect#Kind"})
	}
}
