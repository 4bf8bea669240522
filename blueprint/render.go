package blueprint

import (
	"errors"
	"fmt"
	"slices"
	"strconv"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/util/validation/field"

	"github.com/hybridkit/hybridkit/advice"
	"github.com/hybridkit/hybridkit/cost"
	"github.com/hybridkit/hybridkit/dnsplan"
	"github.com/hybridkit/hybridkit/firewall"
	"github.com/hybridkit/hybridkit/gpu"
	"github.com/hybridkit/hybridkit/internal/manifest"
	"github.com/hybridkit/hybridkit/internal/shellscript"
	ivalidation "github.com/hybridkit/hybridkit/internal/validation"
	"github.com/hybridkit/hybridkit/internal/yamlenc"
	"github.com/hybridkit/hybridkit/netpath"
	"github.com/hybridkit/hybridkit/netplan"
	"github.com/hybridkit/hybridkit/nodeconfig"
	"github.com/hybridkit/hybridkit/placement"
)

// Render validates the blueprint (after Default on a copy) across every
// package and renders the whole deployment: NodeConfigs, containerd
// configs, Kubernetes manifests, DNS forwarder configs, host firewalls,
// AWS CLI scripts and their data, verification commands, plan.json and
// the README.md report. An invalid blueprint returns every error with its
// path and no bundle. The findings are every package's advisories,
// sorted. The same blueprint always gives the same bytes.
func Render(b Blueprint) (Bundle, []advice.Finding, error) {
	secret := b.secret()
	bt, errs := compile(b, nil)
	if len(errs) > 0 {
		return Bundle{}, nil, ivalidation.ToError("blueprint", redactErrors(errs, secret))
	}
	bt.findings = redactFindings(bt.findings, secret)
	r := &renderer{bt: bt}
	r.aws()
	r.nodes()
	r.kubernetes()
	r.cni()
	r.dnsFiles()
	r.firewallFiles()
	r.verify()
	r.pocFiles()
	r.costFiles()
	if r.err != nil {
		return Bundle{}, nil, errors.New(redact(r.err.Error(), secret))
	}
	findings := advice.Sort(append([]advice.Finding(nil), bt.findings...))
	slices.SortStableFunc(r.files, func(a, b File) int {
		switch {
		case a.Path < b.Path:
			return -1
		case a.Path > b.Path:
			return 1
		}
		return 0
	})
	bt.planned = bt.plannedNodes()
	plan, err := bt.planJSON(findings)
	if err != nil {
		return Bundle{}, nil, err
	}
	report := bt.report(r.files, findings)
	files := append([]File{
		{Path: "README.md", Kind: KindMarkdown, Description: "the plan report: summary, corrections, findings, diagrams, tables", Content: report},
		{Path: "plan.json", Kind: KindJSON, Description: "the plan for machines: networks, routing, firewall, DNS, nodes, cost, findings", Content: plan},
	}, r.files...)
	bundle, err := NewBundle(files...)
	if err != nil {
		return Bundle{}, nil, err
	}
	return bundle, findings, nil
}

// renderer accumulates files; the first error stops it.
type renderer struct {
	bt    *built
	files []File
	err   error
}

func (r *renderer) add(path string, kind Kind, desc string, content []byte, err error) {
	if r.err != nil {
		return
	}
	if err != nil {
		r.err = fmt.Errorf("blueprint: rendering %s: %w", path, err)
		return
	}
	r.files = append(r.files, File{Path: path, Kind: kind, Description: desc, Content: content})
}

func (r *renderer) addJSON(path, desc string, v any) {
	js, err := jsonFile(v)
	r.add(path, KindJSON, desc, js, err)
}

func (r *renderer) addManifest(path, desc string, objs ...runtime.Object) {
	y, err := manifest.Render(objs...)
	r.add(path, KindK8sManifest, desc, y, err)
}

func (r *renderer) aws() {
	bt, b := r.bt, r.bt.bp
	s, err := netplan.ClusterNetworkScript(bt.plan, b.Cluster.Name, b.Cluster.Region)
	r.add("aws/01-cluster-remote-networks.sh", KindShell, "turn on hybrid nodes for the cluster: its remote node and pod networks", s, err)
	rnc, err := bt.plan.RemoteNetworkConfig()
	if err == nil {
		r.addJSON("aws/remote-network-config.json", "the cluster's remoteNetworkConfig (EKS API shape)", rnc)
		r.eksctlCluster(rnc)
	}
	s, err = netplan.ConnectivityScript(bt.conn, bt.routing, b.Cluster.Name)
	r.add("aws/02-connectivity.sh", KindShell, "Transit Gateway, "+string(b.Connectivity.Connection)+" and the VPC routes to the remote networks", s, err)
	r.addJSON("aws/routing.json", "VPC routes, BGP announcements and ASNs", bt.routing)
	sg, err := firewall.SecurityGroup(bt.plan, bt.rules, firewall.PeerClusterENIs())
	if err != nil {
		r.add("aws/03-cluster-security-group.sh", KindShell, "", nil, err)
		return
	}
	r.addJSON("aws/cluster-security-group.json", "the cluster security group's rules for hybrid nodes (EC2 IpPermissions)", sg)
	s, err = firewall.SecurityGroupScript("Cluster security group rules for the hybrid nodes of "+b.Cluster.Name, sg, firewall.SGTarget{ClusterName: b.Cluster.Name, Region: b.Cluster.Region})
	r.add("aws/03-cluster-security-group.sh", KindShell, "authorize the hybrid flows on the cluster security group (remote networks as CIDRs)", s, err)
	s, err = nodeconfig.IdentityScript(bt.identity)
	r.add("aws/04-identity.sh", KindShell, "the Hybrid Nodes IAM role, its HYBRID_LINUX access entry, and the "+string(b.Credentials.Provider)+" credential source", s, err)
	role, err := bt.identity.Role()
	if err == nil {
		r.addJSON("aws/hybrid-nodes-role.json", "the Hybrid Nodes IAM role: trust policy, permissions, managed policies", role)
	}
	if b.Credentials.Provider == nodeconfig.ProviderSSM {
		in, err := bt.identity.ActivationInput()
		if err == nil {
			r.addJSON("aws/ssm-activation.json", "the SSM CreateActivation request (its output, the activation code, is a secret)", in)
		}
	}
	if bt.dns.Inbound != nil || bt.dns.Outbound != nil {
		s, err = dnsplan.AWSScript(bt.dns)
		r.add("aws/05-route53-resolver.sh", KindShell, "Route 53 Resolver endpoints, forwarding rules and their VPC associations", s, err)
		req, err := bt.dns.Requests()
		if err == nil {
			r.addJSON("aws/route53-resolver.json", "the Route 53 Resolver requests as data", req)
		}
	}
}

func (r *renderer) nodes() {
	b := r.bt.bp
	k := 0 // the fleets' members are the nodes, in order
	for _, f := range r.bt.fleets {
		ys, err := f.Marshal()
		if err != nil {
			r.add("nodeconfigs/", KindNodeConfig, "", nil, err)
			return
		}
		for _, y := range ys {
			n := r.bt.nodes[k]
			k++
			r.files = append(r.files, File{Path: "nodeconfigs/" + n.name + ".yaml", Kind: KindNodeConfig,
				Description: "nodeadm init -c file://… on " + n.name + " (" + n.addr.String() + ")", Content: y,
				Secret: b.Credentials.Provider == nodeconfig.ProviderSSM})
		}
	}
	if !slices.ContainsFunc(b.NodePools, func(p NodePool) bool { return p.GPU != nil }) {
		return
	}
	for _, c := range []struct {
		path   string
		target gpu.Target
		desc   string
	}{
		{"containerd/nodeadm-dropin.toml", gpu.TargetNodeadmDropIn, "the NVIDIA runtime drop-in every GPU NodeConfig carries (spec.containerd.config)"},
		{"containerd/config-containerd1.toml", gpu.TargetContainerd1, "standalone /etc/containerd/config.toml for containerd 1.6/1.7 hosts not managed by nodeadm"},
		{"containerd/config-containerd2.toml", gpu.TargetContainerd2, "standalone /etc/containerd/config.toml for containerd 2.x hosts not managed by nodeadm"},
	} {
		o := gpu.DefaultContainerdOptions(c.target, b.Cluster.Region)
		t, err := gpu.RenderContainerd(c.target, o)
		r.add(c.path, KindContainerdTOML, c.desc, t, err)
		// The options come from no blueprint field: the findings name the
		// file they concern.
		var fs []advice.Finding
		if c.target != gpu.TargetNodeadmDropIn && err == nil {
			// A standalone file is the whole config: containerd's own
			// reading of it (the drop-in is checked on nodeadm's root when
			// the NodeConfigs are built).
			if fs, err = gpu.CheckContainerd(t); err != nil {
				r.add(c.path, KindContainerdTOML, c.desc, nil, err)
			}
		}
		for _, f := range append(gpu.CheckContainerdOptions(c.target, o), fs...) {
			f.Message, f.Field = c.path+": "+f.Message, ""
			r.bt.findings = append(r.bt.findings, f)
		}
	}
}

func (r *renderer) kubernetes() {
	bt, b := r.bt, r.bt.bp
	gi := slices.IndexFunc(b.NodePools, func(p NodePool) bool { return p.GPU != nil })
	if gi >= 0 {
		dp, err := gpu.DevicePlugin(b.devicePluginOptions())
		if err != nil {
			r.add("kubernetes/nvidia-device-plugin.yaml", KindK8sManifest, "", nil, err)
			return
		}
		desc := "the NVIDIA device plugin and its config, on hybrid GPU nodes"
		if dp.MPSControlDaemon != nil {
			desc = "the NVIDIA device plugin, its config and the MPS control daemon, on hybrid GPU nodes"
		}
		r.addManifest("kubernetes/nvidia-device-plugin.yaml", desc, dp.Objects()...)
		rc, err := gpu.RuntimeClass("nvidia")
		if err != nil {
			r.add("kubernetes/nvidia-runtimeclass.yaml", KindK8sManifest, "", nil, err)
			return
		}
		r.addManifest("kubernetes/nvidia-runtimeclass.yaml", "RuntimeClass nvidia, for pods that ask for the NVIDIA runtime by name", rc)
		pod, err := gpu.TestPod(gpu.TestPodOptions{})
		if err != nil {
			r.add("kubernetes/gpu-test-pod.yaml", KindK8sManifest, "", nil, err)
			return
		}
		r.addManifest("kubernetes/gpu-test-pod.yaml", "runs nvidia-smi on a hybrid GPU node: kubectl apply, then kubectl logs gpu-test", pod)
	}
	for i, v := range bt.volumes {
		pv, pvc, err := v.Objects()
		if err != nil {
			r.add("kubernetes/storage-"+v.Name+".yaml", KindK8sManifest, "", nil, err)
			return
		}
		r.addManifest("kubernetes/storage-"+v.Name+".yaml", "PersistentVolume and claim for "+b.Storage[i].Server.String()+":"+b.Storage[i].Path, pv, pvc)
	}
	objs, err := r.workloads(gi)
	if err != nil {
		r.add("kubernetes/workloads.yaml", KindK8sManifest, "", nil, err)
		return
	}
	r.lintWorkloads(objs)
	r.addManifest("kubernetes/workloads.yaml", "example workloads placed the right way: GPU training on hybrid nodes, a web API in the cloud, a critical app on both sides", objs...)
	if b.Workloads.Autoscaler {
		as, fs, err := placement.Autoscaler{ClusterName: b.Cluster.Name, Region: b.Cluster.Region, KubernetesVersion: b.Cluster.KubernetesVersion}.Objects()
		r.bt.findings = append(r.bt.findings, advice.WithPrefix("workloads.autoscaler", fs)...)
		if err != nil {
			r.add("kubernetes/cluster-autoscaler.yaml", KindK8sManifest, "", nil, err)
			return
		}
		r.addManifest("kubernetes/cluster-autoscaler.yaml", "Cluster Autoscaler for the cloud node groups (it cannot scale hybrid nodes)", as...)
	}
	cm, err := dnsplan.CoreDNSConfigMap(bt.dns)
	if err != nil {
		r.add("kubernetes/coredns-configmap.yaml", KindK8sManifest, "", nil, err)
		return
	}
	r.addManifest("kubernetes/coredns-configmap.yaml", "CoreDNS with stub domains for the on-premises zones (for the EKS add-on, use the Corefile as its corefile value)", cm)
}

// workloads builds the example workloads with placement.
func (r *renderer) workloads(gpuPool int) ([]runtime.Object, error) {
	b := r.bt.bp
	var objs []runtime.Object
	if gpuPool >= 0 {
		p := b.NodePools[gpuPool]
		pod := &corev1.Pod{TypeMeta: metav1.TypeMeta{APIVersion: "v1", Kind: "Pod"},
			ObjectMeta: metav1.ObjectMeta{Name: "gpu-training", Labels: map[string]string{"app": "gpu-training"}},
			Spec: corev1.PodSpec{RestartPolicy: corev1.RestartPolicyNever,
				Containers: []corev1.Container{{Name: "training", Image: b.Workloads.TrainingImage}}}}
		m, _ := gpu.ModelByAlias(p.GPU.Model)
		labels := gpu.ModelLabelsFor(m, p.GPU.Count, b.devicePluginOptions())
		sel := map[string]string{"nvidia.com/gpu.product": labels["nvidia.com/gpu.product"]}
		if err := placement.Apply(pod, placement.GPU{Count: int64(p.GPU.Count), NodeLabels: sel}); err != nil {
			return nil, err
		}
		objs = append(objs, pod)
	}
	web := deployment("web-api", b.Workloads.WebImage, 2)
	if err := placement.Apply(web, placement.Cloud{}); err != nil {
		return nil, err
	}
	crit := deployment("critical-app", b.Workloads.WebImage, b.Workloads.CriticalReplicas)
	if err := placement.Apply(crit, placement.HA{}); err != nil {
		return nil, err
	}
	return append(objs, web, crit), nil
}

// nodeLabelSets are the label sets of the cluster's kinds of node: the
// hybrid pools with the labels nodeadm adds, and an EC2 node in each VPC
// subnet's zone.
func (bt *built) nodeLabelSets() []map[string]string {
	b := bt.bp
	var nodes []map[string]string
	for _, p := range b.NodePools {
		l := poolLabels(b, p)
		l[nodeconfig.LabelComputeType] = nodeconfig.ComputeTypeHybrid
		nodes = append(nodes, l)
	}
	for _, s := range b.VPC.Subnets {
		nodes = append(nodes, map[string]string{corev1.LabelTopologyZone: s.AZ})
	}
	return nodes
}

// lintWorkloads runs placement.Lint on each example workload against the
// cluster's nodes (the hybrid pools with the labels nodeadm adds, and an
// EC2 node in each VPC subnet's zone), with the findings on the blueprint
// field that fed them, and adds AWS's rules for mixed clusters.
func (r *renderer) lintWorkloads(objs []runtime.Object) {
	nodes := r.bt.nodeLabelSets()
	wp := r.bt.fp.Child("workloads")
	for _, o := range objs {
		var spec corev1.PodSpec
		image := wp.Child("webImage")
		switch w := o.(type) {
		case *corev1.Pod:
			spec, image = w.Spec, wp.Child("trainingImage")
		case *appsv1.Deployment:
			spec = w.Spec.Template.Spec
		default:
			continue
		}
		from := newProvenance(wp)
		for i := range spec.Containers {
			from.set(field.NewPath("containers").Index(i).Child("image"), image)
		}
		r.bt.findings = append(r.bt.findings, from.findings(placement.Lint(spec, nodes))...)
	}
	// The remote pod network is registered with the cluster and routed
	// from the VPC (RoutingPlan), so webhooks may run on either side;
	// every NodeConfig carries the site's zone label.
	mixed := placement.MixedCluster{PodNetworkRoutable: r.bt.bp.Site.RemotePodNetwork.IsValid(), HybridZoneLabelled: true}
	r.bt.findings = append(r.bt.findings, mixed.Lint()...)
}

func deployment(name, image string, replicas int32) *appsv1.Deployment {
	labels := map[string]string{"app": name}
	return &appsv1.Deployment{TypeMeta: metav1.TypeMeta{APIVersion: "apps/v1", Kind: "Deployment"},
		ObjectMeta: metav1.ObjectMeta{Name: name, Labels: labels},
		Spec: appsv1.DeploymentSpec{Replicas: &replicas, Selector: &metav1.LabelSelector{MatchLabels: labels},
			Template: corev1.PodTemplateSpec{ObjectMeta: metav1.ObjectMeta{Labels: labels},
				Spec: corev1.PodSpec{Containers: []corev1.Container{{Name: name, Image: image}}}}}}
}

// cniMTU is the MTU to write into the CNI's values: 0 when the nodes'
// MTU fits the path (the CNI derives its MTU from the node's interface),
// else the path MTU, so pods do not send packets the path drops.
func (r *renderer) cniMTU() int {
	mtu, _ := r.bt.path.MTU()
	if r.bt.bp.Site.NodeMTU > mtu {
		return mtu
	}
	return 0
}

// cni writes the CNI's Helm values for the hybrid nodes.
func (r *renderer) cni() {
	if r.bt.bp.CNI == netplan.CNICalico {
		r.calico()
		return
	}
	r.cilium()
}

// cilium writes the Cilium Helm values AWS documents for hybrid nodes
// (EKS User Guide, hybrid-nodes-cni): agent and operator only on hybrid
// nodes, cluster-pool IPAM from the remote pod network in per-node blocks
// of the plan's size (Cilium's 10.0.0.0/8 default would collide with the
// VPC), service topology for PreferClose, no Envoy and no kube-proxy
// replacement; and MTU, the underlying network's MTU Cilium subtracts its
// tunnel from (https://docs.cilium.io/en/stable/helm-reference/), when the
// nodes' own MTU is above the path's.
func (r *renderer) cilium() {
	b := r.bt.bp
	hybridOnly := map[string]any{"nodeAffinity": map[string]any{"requiredDuringSchedulingIgnoredDuringExecution": map[string]any{
		"nodeSelectorTerms": []any{map[string]any{"matchExpressions": []any{map[string]any{
			"key": nodeconfig.LabelComputeType, "operator": "In", "values": []string{nodeconfig.ComputeTypeHybrid}}}}}}}}
	values := map[string]any{
		"affinity": hybridOnly,
		"ipam": map[string]any{"mode": "cluster-pool", "operator": map[string]any{
			"clusterPoolIPv4PodCIDRList": []string{b.Site.RemotePodNetwork.String()},
			"clusterPoolIPv4MaskSize":    r.bt.plan.PerNodeBits,
		}},
		"loadBalancer":         map[string]any{"serviceTopology": true},
		"operator":             map[string]any{"affinity": hybridOnly, "unmanagedPodWatcher": map[string]any{"restart": false}},
		"envoy":                map[string]any{"enabled": false},
		"kubeProxyReplacement": "false",
	}
	if mtu := r.cniMTU(); mtu > 0 {
		values["MTU"] = mtu
	}
	y, err := yamlenc.Marshal(values)
	r.add("kubernetes/cilium-values.yaml", KindHelmValues, "Cilium Helm values for the hybrid nodes: helm install cilium oci://public.ecr.aws/eks/cilium/cilium -n kube-system -f cilium-values.yaml (a supported 1.17 or 1.18 release)", y, err)
}

// calico writes the tigera-operator chart's values for hybrid nodes, as
// the EKS User Guide gave them for Calico 3.29 (hybrid-nodes-cni, now in
// aws-samples/eks-hybrid-examples): Calico CNI and IPAM, one VXLAN pool —
// the remote pod network in blocks of the plan's size — on hybrid nodes
// only, BGP off, and every Calico component (node, CSI driver, kube
// controllers, Typha) kept on hybrid nodes; calicoNetwork.mtu, the pods'
// MTU, when the nodes' own MTU is above the path's. Field names are the
// operator's Installation API (tigera/operator v1.36.16, api/v1,
// https://github.com/tigera/operator/blob/fdb10d5c1b619137f2e50cbdcb4c9012364d6ed7/api/v1/installation_types.go).
func (r *renderer) calico() {
	b := r.bt.bp
	hybrid := map[string]string{nodeconfig.LabelComputeType: nodeconfig.ComputeTypeHybrid}
	onHybrid := map[string]any{"spec": map[string]any{"template": map[string]any{"spec": map[string]any{"nodeSelector": hybrid}}}}
	network := map[string]any{
		"bgp": "Disabled",
		"ipPools": []any{map[string]any{
			"cidr":          b.Site.RemotePodNetwork.String(),
			"blockSize":     r.bt.plan.PerNodeBits,
			"encapsulation": "VXLAN",
			"natOutgoing":   "Enabled",
			"nodeSelector":  nodeconfig.LabelComputeType + ` == "` + nodeconfig.ComputeTypeHybrid + `"`,
		}},
	}
	if mtu := r.cniMTU(); mtu > 0 {
		o, _ := netpath.EncapVXLAN.Overhead()
		network["mtu"] = mtu - o
	}
	values := map[string]any{"installation": map[string]any{
		"enabled":                         true,
		"cni":                             map[string]any{"type": "Calico", "ipam": map[string]any{"type": "Calico"}},
		"calicoNetwork":                   network,
		"controlPlaneReplicas":            1,
		"controlPlaneNodeSelector":        hybrid,
		"calicoNodeDaemonSet":             onHybrid,
		"csiNodeDriverDaemonSet":          onHybrid,
		"calicoKubeControllersDeployment": onHybrid,
		"typhaDeployment":                 onHybrid,
	}}
	y, err := yamlenc.Marshal(values)
	r.add("kubernetes/calico-values.yaml", KindHelmValues, "Calico (tigera-operator chart) values for the hybrid nodes: helm install calico projectcalico/tigera-operator --version 3.29.x -n kube-system -f calico-values.yaml", y, err)
}

func (r *renderer) dnsFiles() {
	d := r.bt.dns
	if len(d.OnPrem.ForwardToAWS) > 0 {
		s, err := dnsplan.RenderBINDZones(d)
		r.add("dns/named-forward-zones.conf", KindBINDConf, "BIND on the site: forward zones to the inbound endpoint (include from named.conf)", s, err)
		if d.OnPrem.DNSSECValidation {
			s, err = dnsplan.RenderBINDOptions(d)
			r.add("dns/named-options.conf", KindBINDConf, "BIND on the site: statements for the options block (validate-except for the unsigned private zones)", s, err)
		}
		s, err = dnsplan.RenderUnbound(d)
		r.add("dns/unbound-forward-zones.conf", KindUnboundConf, "Unbound on the site: forward zones to the inbound endpoint", s, err)
		s, err = dnsplan.RenderDnsmasq(d)
		r.add("dns/dnsmasq-hybrid.conf", KindDnsmasqConf, "dnsmasq on the site: server= lines to the inbound endpoint", s, err)
	}
	s, err := dnsplan.RenderResolved(d)
	r.add("dns/resolved-hybridkit.conf", KindResolvedConf, "systemd-resolved drop-in for the Ubuntu hybrid nodes ("+dnsplan.ResolvedDropInPath+")", s, err)
	s, err = dnsplan.RenderCorefile(d)
	r.add("dns/Corefile", KindCorefile, "the cluster's CoreDNS Corefile with stub domains for the on-premises zones", s, err)
	if err != nil {
		return
	}
	// The Corefile as CoreDNS reads it: its findings name the file.
	cf, err := dnsplan.ParseCorefile(s)
	if err != nil {
		r.add("dns/Corefile", KindCorefile, "", nil, err)
		return
	}
	for _, f := range cf.Check() {
		f.Message, f.Field = "dns/Corefile: "+f.Message, ""
		r.bt.findings = append(r.bt.findings, f)
	}
}

func (r *renderer) firewallFiles() {
	bt := r.bt
	nodes := firewall.PeerRole(netplan.RoleRemoteNode)
	s, err := firewall.RenderNFTables(bt.plan, bt.rules, nodes)
	r.add("firewall/hybrid-node.nft", KindNFTables, "nftables ruleset for the hybrid nodes (nft -f)", s, err)
	s, err = firewall.RenderIPTables(bt.plan, bt.rules, nodes)
	r.add("firewall/hybrid-node.iptables", KindIPTables, "the same as iptables-restore input", s, err)
	r.add("firewall/rules.md", KindMarkdown, "every firewall rule of the plan, one per line", firewall.RenderMarkdown(bt.rules), nil)
	s, err = firewall.RenderCSV(bt.rules)
	r.add("firewall/rules.csv", KindCSV, "the same rules as CSV, for spreadsheets and change tickets", s, err)
}

// Finding code of verify for a plan without an address to prove the path
// MTU against.
const CodeNoMTUProbe advice.Code = "blueprint/no-mtu-probe"

// verify writes the checks that prove the plan on the real network, each
// script for the host it must run on: one of the site's DNS servers (the
// only sources the inbound endpoint's security group admits), a hybrid
// node (an address the VPC routes back, with the nodes' MTU), and a
// workstation with kubectl. Every check fails the script when it fails:
// dig must answer, and each path MTU is proven from both sides (the
// payload passes, one byte more does not).
func (r *renderer) verify() {
	bt, b := r.bt, r.bt.bp
	checks, err := dnsplan.VerifyCommands(bt.dns)
	if err != nil {
		r.add("verify/from-site.sh", KindShell, "", nil, err)
		return
	}
	site := shellscript.New("Checks to run on one of the site's DNS servers: the inbound endpoint's security group admits DNS from them only.")
	kube := shellscript.New("Checks to run where kubectl reaches the cluster.")
	answers := 0
	for _, c := range checks {
		s := site
		if c.Where == "kubectl" {
			s = kube
		}
		s.Comment(c.Purpose)
		if !c.Answer {
			s.Run(shellscript.Lits(c.Args...)...)
			continue
		}
		answers++
		v := "ANSWER_" + strconv.Itoa(answers)
		s.Capture(v, shellscript.Lits(c.Args...)...)
		s.Require(v, "no answer: "+c.Purpose)
	}
	r.verifyPathMTU()
	if len(b.Storage) > 0 {
		r.verifyStoragePath(kube)
	}
	s, err := site.Bytes()
	r.add("verify/from-site.sh", KindShell, "DNS checks from a site DNS server: the inbound endpoint over UDP and TCP 53, and the site's forwarding", s, err)
	s, err = kube.Bytes()
	r.add("verify/from-kubectl.sh", KindShell, "DNS checks from pods on both sides, and the storage path from a hybrid node", s, err)
}

// verifyPathMTU writes verify/from-hybrid-node.sh, the path MTU to the
// plan's probe address, or a finding when the plan names none.
func (r *renderer) verifyPathMTU() {
	bt, b := r.bt, r.bt.bp
	probe := b.Connectivity.MTUProbe
	if !probe.IsValid() {
		r.bt.findings = append(r.bt.findings, advice.Finding{Level: advice.Info, Code: CodeNoMTUProbe, Field: field.NewPath("connectivity", "mtuProbe").String(),
			Message: "no address in the VPC answers ping for the path MTU check (the Resolver endpoints and the cluster's interfaces do not): set connectivity.mtuProbe to an instance whose security group admits ICMP from the remote node network, and the bundle gains verify/from-hybrid-node.sh",
			Ref:     "https://docs.aws.amazon.com/vpc/latest/userguide/vpc-network-acls.html#path-mtu-discovery-network-acls"})
		return
	}
	payload := bt.path.PingPayload()
	mtu, _ := bt.path.MTU()
	s := shellscript.New("Checks to run on a hybrid node: its address is in the remote node network, which the VPC routes back, and its interface has the nodes' MTU.")
	s.Comment(fmt.Sprintf("Path MTU to the VPC (%s) is %d: a don't-fragment ping of %d bytes (%d - 28 of IPv4 and ICMP headers) passes, one byte more does not.", probe, mtu, payload, mtu))
	s.Run(shellscript.Lits("ping", "-M", "do", "-s", strconv.Itoa(payload), "-c", "3", "-W", "2", probe.String())...)
	s.MustFail(fmt.Sprintf("a %d-byte don't-fragment ping passed: the path carries more than the plan's %d bytes, or the node's MTU is not what the plan says", payload+1, mtu),
		shellscript.Lits("ping", "-M", "do", "-s", strconv.Itoa(payload+1), "-c", "1", "-W", "2", probe.String())...)
	out, err := s.Bytes()
	r.add("verify/from-hybrid-node.sh", KindShell, "the path MTU from a hybrid node to the VPC, proven from both sides", out, err)
}

// verifyStoragePath adds the storage checks to the kubectl script, the
// quick ones first: the path MTU to the first NFS server from a hybrid
// node's own network (the kubelet mounts NFS there) from both sides, a
// don't-fragment ping from a pod at the pod MTU's payload, then the link
// baseline.
func (r *renderer) verifyStoragePath(kube *shellscript.Script) {
	bt, b := r.bt, r.bt.bp
	server := b.Storage[0].Server
	host := bt.storagePath(server, netpath.EncapNone)
	pod := bt.storagePath(server, bt.path.Encapsulation)
	hostMTU, _ := host.MTU()
	o := netpath.MeasureOptions{Target: server, NodeSelector: map[string]string{nodeconfig.LabelComputeType: nodeconfig.ComputeTypeHybrid}, HostNetwork: true}
	payload := strconv.Itoa(host.PingPayload())
	within, err1 := o.PodCommand("hybridkit-mtu", "ping", "-M", "do", "-s", payload, "-c", "3", "-W", "2", server.String())
	over, err2 := o.PodCommand("hybridkit-mtu-over", "ping", "-M", "do", "-s", strconv.Itoa(host.PingPayload()+1), "-c", "1", "-W", "2", server.String())
	inPod := o
	inPod.HostNetwork = false
	podPing, err3 := inPod.PodCommand("hybridkit-pod-mtu", "ping", "-M", "do", "-s", strconv.Itoa(pod.PodMTU()-28), "-c", "3", "-W", "2", server.String())
	cmds, err4 := netpath.MeasureCommands(o)
	if err := errors.Join(err1, err2, err3, err4); err != nil {
		r.add("verify/from-kubectl.sh", KindShell, "", nil, err)
		return
	}
	kube.Comment(fmt.Sprintf("Path MTU from a hybrid node's own network to the NFS server %s, where the kubelet mounts it: %d, so a don't-fragment ping of %s bytes passes and one byte more does not.", server, hostMTU, payload))
	kube.Run(shellscript.Lits(within...)...)
	kube.MustFail(fmt.Sprintf("a %d-byte don't-fragment ping from a hybrid node passed: the path to %s carries more than the plan's %d bytes", host.PingPayload()+1, server, hostMTU), shellscript.Lits(over...)...)
	kube.Comment(fmt.Sprintf("From a pod the interface MTU is the pod MTU, %d with %s: its payload is %d.", pod.PodMTU(), pod.Encapsulation, pod.PodMTU()-28))
	kube.Run(shellscript.Lits(podPing...)...)
	kube.Comment("Link baseline from a hybrid node to " + server.String() + " (the iperf3 run needs `iperf3 -s` there).")
	for _, c := range cmds {
		kube.Run(shellscript.Lits(c...)...)
	}
}

func (r *renderer) costFiles() {
	bt := r.bt
	r.add("cost/estimate.md", KindMarkdown, "the month's hybrid-nodes bill with its tier breakdown", bt.estimate.Markdown(), nil)
	r.add("cost/scenarios.md", KindMarkdown, "scenarios side by side, including the guide's flat-price assumption", costScenarios(bt), nil)
	region := bt.bp.Cluster.Region
	js, err := cost.CostExplorerFilter(region)
	r.add("cost/cost-explorer-filter.json", KindJSON, "Cost Explorer filter for the Region's EKS charges (aws ce get-cost-and-usage --filter file://…, group by USAGE_TYPE)", js, err)
	// Cost Explorer has no endpoint in GovCloud or the isolated
	// partitions: there the bill is read from the commercial account.
	if _, ok := cost.CostExplorerRegion(region); !ok {
		r.bt.findings = append(r.bt.findings, advice.Finding{Level: advice.Info, Code: CodeNoCostExplorer, Field: bt.fp.Child("cluster", "region").String(),
			Message: "no cost/cost-explorer.sh: Cost Explorer has no endpoint in the partition of " + region + "; read the bill from the account's commercial partition",
			Ref:     "https://docs.aws.amazon.com/aws-cost-management/latest/APIReference/API_GetCostAndUsage.html"})
		return
	}
	sh, err := cost.CostExplorerScript(region, bt.estimate)
	r.add("cost/cost-explorer.sh", KindShell, "this month's EKS spend by usage type, hybrid nodes' vCPU-hours beside the plan's estimate", sh, err)
}

// CodeNoCostExplorer is the finding for a Region whose partition has no
// Cost Explorer endpoint (GovCloud, the isolated partitions).
const CodeNoCostExplorer advice.Code = "blueprint/no-cost-explorer"
