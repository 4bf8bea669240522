package blueprint

import (
	"net/netip"
	"time"

	"github.com/hybridkit/hybridkit/cost"
	"github.com/hybridkit/hybridkit/dnsplan"
	"github.com/hybridkit/hybridkit/netplan"
	"github.com/hybridkit/hybridkit/nodeconfig"
	"github.com/hybridkit/hybridkit/storage"
)

// Reference returns the adoption guide's scenario, corrected: cluster
// gpu-hybrid-cluster in ap-northeast-2; ten H100 servers (8 GPUs, 2 × 56
// cores × 2 threads = 224 vCPUs) on Ubuntu 22.04 joined with SSM; VPC
// 10.0.0.0/16; the site 192.168.0.0/16 with DNS at 192.168.1.53/.54
// (company.local) and NFS at 192.168.1.100:/export/data; pods in
// 10.244.0.0/16, services in 10.96.0.0/16; Direct Connect (transit VIF,
// 8500) to a Transit Gateway; Cilium.
//
// Values AWS assigns — IDs, the activation, the endpoint name — are
// examples: replace them with yours. The activation code is not a real
// secret.
func Reference() Blueprint {
	p := netip.MustParsePrefix
	a := netip.MustParseAddr
	d := dnsplan.MustParseDomain
	return Blueprint{
		Cluster: Cluster{
			Name: "gpu-hybrid-cluster", Region: "ap-northeast-2", AccountID: "111122223333",
			KubernetesVersion: "1.33", EndpointAccess: dnsplan.AccessPrivate,
			EndpointHost: dnsplan.MustParseDomain("0123456789abcdef0123456789abcdef.gr7.ap-northeast-2.eks.amazonaws.com"),
			ServiceCIDR:  p("10.96.0.0/16"),
		},
		VPC: VPC{ID: "vpc-0a1b2c3d4e5f67890", CIDR: p("10.0.0.0/16"), Subnets: []Subnet{
			{Name: "private-a", ID: "subnet-0aaaaaaaaaaaaaaa1", CIDR: p("10.0.1.0/24"), AZ: "ap-northeast-2a", RouteTableID: "rtb-0aaaaaaaaaaaaaaa1"},
			{Name: "private-c", ID: "subnet-0ccccccccccccccc3", CIDR: p("10.0.2.0/24"), AZ: "ap-northeast-2c", RouteTableID: "rtb-0ccccccccccccccc3"},
		}},
		Site: Site{
			Zone:              "onprem-dc1",
			Networks:          []netip.Prefix{p("192.168.0.0/16")},
			RemoteNodeNetwork: p("192.168.10.0/24"),
			RemotePodNetwork:  p("10.244.0.0/16"),
			// The guide's 9000 does not fit through a Transit Gateway.
			NodeMTU: 8500,
		},
		Connectivity: Connectivity{
			Connection:    netplan.ConnectionDirectConnect,
			DirectConnect: &DirectConnect{GatewayName: "gpu-hybrid-dxgw", ASN: 64513, VIF: "transit", VIFMTU: 8500},
			BandwidthGbps: 10,
		},
		CNI: netplan.CNICilium,
		DNS: DNS{
			Zones:   []dnsplan.Domain{d("company.local")},
			Servers: []netip.Addr{a("192.168.1.53"), a("192.168.1.54")},
			Inbound: Endpoint{SecurityGroupID: "sg-0123456789abcdef0", IPs: []EndpointIP{
				{IP: a("10.0.1.100"), Subnet: "private-a"}, {IP: a("10.0.2.100"), Subnet: "private-c"}}},
			Outbound: Endpoint{SecurityGroupID: "sg-0fedcba9876543210", IPs: []EndpointIP{
				{IP: a("10.0.1.101"), Subnet: "private-a"}, {IP: a("10.0.2.101"), Subnet: "private-c"}}},
			DNSSECValidation: true,
		},
		Credentials: Credentials{
			Provider: nodeconfig.ProviderSSM,
			SSM: &SSMCredentials{
				ActivationID:   "6b7c2f1e-0d4a-4c1b-9e8f-1a2b3c4d5e6f",
				ActivationCode: "EXAMPLE+activation+code+0123456789",
				Expiration:     time.Date(2026, 12, 4, 0, 0, 0, 0, time.UTC),
			},
		},
		NodePools: []NodePool{{
			Name: "gpu", Count: 10, HostnamePattern: "gpu-node-%02d", FirstAddress: a("192.168.10.11"),
			GPU:               &GPU{Model: "h100", Count: 8},
			CPU:               cost.Processors{Model: "Xeon Platinum 8480C", Sockets: 2, DeclaredVCPUs: 224},
			OS:                "ubuntu-22.04",
			DriverVersion:     "550.127.05",
			ContainerdVersion: "1.7.27",
		}},
		Storage:   []Export{{Name: "onprem-data", Server: a("192.168.1.100"), Path: "/export/data", Capacity: "10Ti", Namespace: "ml", Placement: storage.Anywhere}},
		Workloads: Workloads{Autoscaler: true},
		Pricing: Pricing{
			Table: PricingTiered, MonthHours: 730, Currency: "KRW", CurrencyRate: "1380.25",
			Cloud: []cost.CloudInstance{
				{Name: "p5.48xlarge", Hourly: cost.MustParseMoney("55.04"), GPUs: 8, GPUModel: "h100", Region: "us-east-1", Checked: "2026-03", Source: "https://instances.vantage.sh/aws/ec2/p5.48xlarge"},
				{Name: "p5en.48xlarge", Hourly: cost.MustParseMoney("63.296"), GPUs: 8, GPUModel: "h200", Region: "us-east-1", Checked: "2026-03", Source: "https://instances.vantage.sh/aws/ec2/p5en.48xlarge"},
			},
		},
	}
}
