package blueprint

import (
	"cmp"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/hybridkit/hybridkit/gpu"
	"github.com/hybridkit/hybridkit/internal/shellscript"
	ivalidation "github.com/hybridkit/hybridkit/internal/validation"
	"github.com/hybridkit/hybridkit/netpath"
	"github.com/hybridkit/hybridkit/nodeconfig"
	"github.com/hybridkit/hybridkit/poc"
	"github.com/hybridkit/hybridkit/storage"
)

// PoCPlan returns what the proof of concept of b must show, for grading
// the results folder of the bundle's verify/poc.sh with poc.Grade: every
// hybrid node Ready, each GPU node's allocatable GPUs and model, the
// link baseline for the connection's capacity, the node and pod
// payloads, the storage transfer, and the first on-premises zone. An
// invalid blueprint returns Validate's error.
//
//	plan, err := bp.PoCPlan()
//	report := poc.Grade(plan, results)
func (b Blueprint) PoCPlan() (poc.Plan, error) {
	bt, errs := compile(b, nil)
	if len(errs) > 0 {
		return poc.Plan{}, ivalidation.ToError("blueprint", errs)
	}
	return bt.pocPlan(), nil
}

// pocStorageBytes is what each dd run of the storage check moves: 1 GiB,
// large enough to pass the NFS client's caches with direct I/O.
const pocStorageBytes = 1 << 30

func (bt *built) pocPlan() poc.Plan {
	b := bt.bp
	p := poc.Plan{Thresholds: bt.thresholds(), NodePayload: bt.path.PingPayload(), PodPayload: bt.path.PodMTU() - 28}
	for _, np := range b.NodePools {
		p.HybridNodes += np.Count
	}
	if gi := slices.IndexFunc(b.NodePools, func(p NodePool) bool { return p.GPU != nil }); gi >= 0 {
		g := b.NodePools[gi].GPU
		p.GPUsPerNode = g.Count
		if b.GPUSharing != nil {
			p.GPUsPerNode *= b.GPUSharing.Replicas
		}
		if m, ok := gpu.ModelByAlias(g.Model); ok {
			p.GPUModel = m.ProductName
		}
	}
	if _, ok := pocExport(b); ok {
		p.StorageBytes = pocStorageBytes
	}
	if len(b.DNS.Zones) > 0 {
		p.DNSZone = b.DNS.Zones[0].String()
	}
	return p
}

// pocExport is the first export cloud nodes mount: the guide's PoC item
// is AWS worker nodes reaching the on-premises store.
func pocExport(b Blueprint) (Export, bool) {
	for _, e := range b.Storage {
		if e.Placement == storage.Anywhere || e.Placement == storage.CloudOnly {
			return e, true
		}
	}
	return Export{}, false
}

// Names of the PoC's pods.
const (
	pocGPUPod     = "hybridkit-poc-gpu"
	pocStoragePod = "hybridkit-poc-storage"
	pocNodeServer = "hybridkit-poc-node"
	pocPodServer  = "hybridkit-poc-pod"
)

// Images of the PoC's checks: the guide's iperf3 image (it has ping too),
// Kubernetes' own e2e images for dig and TCP connections, and a Debian
// image for GNU dd's direct I/O.
const (
	pocIperf3Image = "networkstatic/iperf3"
	pocDigImage    = "registry.k8s.io/e2e-test-images/jessie-dnsutils:1.3"
	pocAgnhost     = "registry.k8s.io/e2e-test-images/agnhost:2.53"
	pocDDImage     = "debian:bookworm-slim"
)

// pocFiles writes verify/poc.sh and the pods it applies: every PoC item
// of the adoption guide, each from the side it is about.
func (r *renderer) pocFiles() {
	bt, b := r.bt, r.bt.bp
	plan := bt.pocPlan()
	hybrid := netpath.MeasureOptions{Image: pocIperf3Image, NodeSelector: map[string]string{nodeconfig.LabelComputeType: nodeconfig.ComputeTypeHybrid}}
	s := shellscript.New("The PoC, item by item, each checked from the side it is about. Run it where kubectl reaches\n" +
		"the cluster: verify/poc.sh -o poc-results\n" +
		"Every check writes its output to one file of the results folder and its exit status beside it\n" +
		"(<file>.exit): a bad measurement does not stop the script, only a failure to run does.\n" +
		"Grade the folder: go run ./examples/poc -blueprint blueprint.yaml poc-results")
	s.ResultsDir("OUT", "poc-results")
	s.ScriptDir("HERE")
	s.OnExit(shellscript.Lits("kubectl", "delete", "pod", pocNodeServer, pocPodServer, pocGPUPod, "--ignore-not-found", "--wait=false")...)
	var errs []error
	podArgs := func(o netpath.MeasureOptions, name string, cmd ...string) []string {
		args, err := o.PodCommand(name, cmd...)
		errs = append(errs, err)
		return args
	}
	pod := func(o netpath.MeasureOptions, name string, cmd ...string) []shellscript.Word {
		return shellscript.Lits(podArgs(o, name, cmd...)...)
	}
	// Cloud nodes carry no compute-type label: they are the nodes without
	// the hybrid one.
	notHybrid := &corev1.Affinity{NodeAffinity: &corev1.NodeAffinity{RequiredDuringSchedulingIgnoredDuringExecution: &corev1.NodeSelector{
		NodeSelectorTerms: []corev1.NodeSelectorTerm{{MatchExpressions: []corev1.NodeSelectorRequirement{{
			Key: nodeconfig.LabelComputeType, Operator: corev1.NodeSelectorOpNotIn, Values: []string{nodeconfig.ComputeTypeHybrid}}}}}}}}
	cloud := func(hostNetwork bool) netpath.MeasureOptions {
		return netpath.MeasureOptions{Image: pocIperf3Image, Affinity: notHybrid, HostNetwork: hostNetwork}
	}

	// 1. GPU: the nodes, then a GPU pod.
	if plan.HybridNodes > 0 {
		s.Comment(fmt.Sprintf("1. GPU nodes: %d hybrid nodes Ready, each with %d nvidia.com/gpu allocatable.", plan.HybridNodes, plan.GPUsPerNode))
		s.Record("OUT", poc.FileNodes, shellscript.Lits("kubectl", "get", "nodes", "-l", nodeconfig.LabelComputeType+"="+nodeconfig.ComputeTypeHybrid, "-o", "json")...)
	}
	if plan.GPUsPerNode > 0 {
		s.Comment("A GPU pod on a hybrid node prints its GPUs.")
		s.Run(shellscript.Lit("kubectl"), shellscript.Lit("apply"), shellscript.Lit("-f"), shellscript.Join(shellscript.Ref("HERE"), shellscript.Lit("/poc-gpu-pod.yaml")))
		s.Record("OUT", "gpu-pod-wait.txt", shellscript.Lits("kubectl", "wait", "--for=jsonpath={.status.phase}=Succeeded", "pod/"+pocGPUPod, "--timeout=600s")...)
		s.Record("OUT", poc.FileGPUPod, shellscript.Lits("kubectl", "logs", "pod/"+pocGPUPod)...)
	}

	// 2. Storage, from a cloud node.
	if e, ok := pocExport(b); ok {
		ns := cmp.Or(e.Namespace, "default")
		s.Comment(fmt.Sprintf("2. Storage: a pod on a cloud node mounts %s (%s:%s) and writes then reads %d bytes with direct I/O.", e.Name, e.Server, e.Path, int64(pocStorageBytes)))
		s.OnExit(shellscript.Lits("kubectl", "-n", ns, "delete", "pod", pocStoragePod, "--ignore-not-found", "--wait=false")...)
		s.Run(shellscript.Lit("kubectl"), shellscript.Lit("apply"), shellscript.Lit("-f"), shellscript.Join(shellscript.Ref("HERE"), shellscript.Lit("/poc-storage-pod.yaml")))
		s.Record("OUT", "storage-wait.txt", shellscript.Lits("kubectl", "-n", ns, "wait", "--for=jsonpath={.status.phase}=Succeeded", "pod/"+pocStoragePod, "--timeout=900s")...)
		s.Record("OUT", poc.FileStorage, shellscript.Lits("kubectl", "-n", ns, "logs", "pod/"+pocStoragePod)...)
	}

	// 3. The link, cloud node to hybrid node; pods both ways.
	s.Comment("3. The link: an iperf3 server on a hybrid node's own network and one in a hybrid pod; the node's and the pod's IP.")
	server := hybrid
	server.HostNetwork = true
	s.Run(shellscript.Lits(serverPod(podArgs(server, pocNodeServer, "iperf3", "-s"))...)...)
	s.Run(shellscript.Lits(serverPod(podArgs(hybrid, pocPodServer, "iperf3", "-s"))...)...)
	for _, name := range []string{pocNodeServer, pocPodServer} {
		s.Run(shellscript.Lits("kubectl", "wait", "--for=condition=Ready", "pod/"+name, "--timeout=300s")...)
	}
	s.Capture("NODE_IP", shellscript.Lits("kubectl", "get", "pod", pocNodeServer, "-o", "jsonpath={.status.podIP}")...)
	s.Capture("POD_IP", shellscript.Lits("kubectl", "get", "pod", pocPodServer, "-o", "jsonpath={.status.podIP}")...)
	s.Comment(fmt.Sprintf("From a cloud node's own network: 10,000 pings 10 ms apart (one lost is 0.01%%, the baseline's first bound), iperf3 for bandwidth, and a don't-fragment ping of %d bytes (the path MTU %d less 28).", plan.NodePayload, plan.NodePayload+28))
	cloudNode := pod(cloud(true), "hybridkit-poc-ping", "ping", "-q", "-c", "10000", "-i", "0.01")
	s.Record("OUT", poc.FileLinkPing, append(cloudNode, shellscript.Ref("NODE_IP"))...)
	s.Record("OUT", poc.FileLinkIperf3, append(pod(cloud(true), "hybridkit-poc-iperf3", "iperf3", "-J", "-t", "30", "-P", "4", "-c"), shellscript.Ref("NODE_IP"))...)
	s.Record("OUT", poc.FileNodePayload, append(pod(cloud(true), "hybridkit-poc-df-node", "ping", "-M", "do", "-s", strconv.Itoa(plan.NodePayload), "-c", "3", "-W", "2"), shellscript.Ref("NODE_IP"))...)
	s.Comment(fmt.Sprintf("From a cloud pod to the hybrid pod: reachable (the path of webhooks and services), and a don't-fragment ping of %d bytes (the pod MTU %d less 28).", plan.PodPayload, plan.PodPayload+28))
	s.Record("OUT", poc.FileCloudPodToHybridPod, append(pod(cloud(false), "hybridkit-poc-reach", "ping", "-c", "3", "-W", "2"), shellscript.Ref("POD_IP"))...)
	s.Record("OUT", poc.FilePodPayload, append(pod(cloud(false), "hybridkit-poc-df-pod", "ping", "-M", "do", "-s", strconv.Itoa(plan.PodPayload), "-c", "3", "-W", "2"), shellscript.Ref("POD_IP"))...)
	s.Comment("4. Routing: a hybrid pod reaches the VPC: the cluster endpoint's interfaces, through the kubernetes Service.")
	agn := hybrid
	agn.Image = pocAgnhost
	s.Record("OUT", poc.FileHybridPodToVPC, pod(agn, "hybridkit-poc-to-vpc", "/agnhost", "connect", "--timeout=5s", "kubernetes.default.svc:443")...)

	// 5. DNS both ways.
	if plan.DNSZone != "" {
		s.Comment("5. DNS: the on-premises zone " + plan.DNSZone + " from a pod on each side.")
		dig := hybrid
		dig.Image = pocDigImage
		s.Record("OUT", poc.FileDNSFromHybrid, pod(dig, "hybridkit-poc-dns-hybrid", "dig", "+time=2", "+tries=2", "+short", "SOA", plan.DNSZone)...)
		dig = cloud(false)
		dig.Image = pocDigImage
		s.Record("OUT", poc.FileDNSFromCloud, pod(dig, "hybridkit-poc-dns-cloud", "dig", "+time=2", "+tries=2", "+short", "SOA", plan.DNSZone)...)
	}
	if err := errors.Join(errs...); err != nil {
		r.add("verify/poc.sh", KindShell, "", nil, err)
		return
	}
	out, err := s.Bytes()
	r.add("verify/poc.sh", KindShell, "the PoC checks, each from its side, into a results folder that poc.Grade turns into the PoC report", out, err)
	if plan.GPUsPerNode > 0 {
		p, err := gpu.TestPod(gpu.TestPodOptions{Name: pocGPUPod})
		if err == nil {
			p.Spec.Containers[0].Command = []string{"nvidia-smi", "--query-gpu=" + strings.Join(poc.GPUQueryFields(), ","), "--format=csv"}
		}
		if err != nil {
			r.add("verify/poc-gpu-pod.yaml", KindK8sManifest, "", nil, err)
		} else {
			r.addManifest("verify/poc-gpu-pod.yaml", "the PoC's GPU pod: nvidia-smi's GPU list on a hybrid GPU node", p)
		}
	}
	if e, ok := pocExport(b); ok {
		r.addManifest("verify/poc-storage-pod.yaml", "the PoC's storage pod: dd with direct I/O on the on-premises volume, from a cloud node", storagePoCPod(e))
	}
}

// serverPod turns a throw-away `kubectl run --rm -i` into a pod that
// keeps running: the server the checks connect to.
func serverPod(args []string) []string {
	return slices.DeleteFunc(args, func(a string) bool { return a == "--rm" || a == "-i" || a == "--quiet" })
}

// storagePoCPod is a pod on a cloud node that mounts e's claim and moves
// pocStorageBytes with GNU dd's direct I/O, write then read, then removes
// its file. dd prints its summary on standard error, which the pod's log
// keeps.
func storagePoCPod(e Export) *corev1.Pod {
	const mount = "/mnt/poc"
	file := mount + "/hybridkit-poc-dd"
	count := strconv.Itoa(pocStorageBytes >> 20)
	script := "dd if=/dev/zero of=" + file + " bs=1M count=" + count + " oflag=direct && dd if=" + file + " of=/dev/null bs=1M iflag=direct; rc=$?; rm -f " + file + "; exit $rc"
	return &corev1.Pod{
		TypeMeta:   metav1.TypeMeta{APIVersion: "v1", Kind: "Pod"},
		ObjectMeta: metav1.ObjectMeta{Name: pocStoragePod, Namespace: cmp.Or(e.Namespace, "default")},
		Spec: corev1.PodSpec{
			RestartPolicy: corev1.RestartPolicyNever,
			Affinity: &corev1.Affinity{NodeAffinity: &corev1.NodeAffinity{RequiredDuringSchedulingIgnoredDuringExecution: &corev1.NodeSelector{
				NodeSelectorTerms: []corev1.NodeSelectorTerm{{MatchExpressions: []corev1.NodeSelectorRequirement{{
					Key: nodeconfig.LabelComputeType, Operator: corev1.NodeSelectorOpNotIn, Values: []string{nodeconfig.ComputeTypeHybrid}}}}}}}},
			Containers: []corev1.Container{{
				Name:         "dd",
				Image:        pocDDImage,
				Command:      []string{"sh", "-c", script},
				VolumeMounts: []corev1.VolumeMount{{Name: "data", MountPath: mount}},
			}},
			Volumes: []corev1.Volume{{Name: "data", VolumeSource: corev1.VolumeSource{PersistentVolumeClaim: &corev1.PersistentVolumeClaimVolumeSource{ClaimName: e.Name}}}},
		},
	}
}
