package poc

// The files of a results folder, one per check, each with its exit status
// in the file of the same name and ".exit". verify/poc.sh writes them;
// Grade reads them.
const (
	// FileNodes is `kubectl get nodes -l eks.amazonaws.com/compute-type=hybrid -o json`.
	FileNodes = "gpu-nodes.json"
	// FileGPUPod is the GPU pod's `nvidia-smi --query-gpu=… --format=csv`.
	FileGPUPod = "gpu-pod-nvidia-smi.csv"
	// FileStorage is the storage pod's two dd runs: a direct write, then
	// a direct read, of the same file on the NFS volume.
	FileStorage = "storage-dd.txt"
	// FileLinkPing is `ping -c 100 -i 0.2` from a cloud node to a hybrid
	// node.
	FileLinkPing = "link-ping.txt"
	// FileLinkIperf3 is `iperf3 -J` from a cloud node to an iperf3 server
	// on a hybrid node.
	FileLinkIperf3 = "link-iperf3.json"
	// FileNodePayload is a don't-fragment ping at the node path's payload,
	// cloud node to hybrid node.
	FileNodePayload = "link-df-node-payload.txt"
	// FilePodPayload is a don't-fragment ping at the pod MTU's payload,
	// cloud pod to hybrid pod.
	FilePodPayload = "link-df-pod-payload.txt"
	// FileCloudPodToHybridPod is a ping from a cloud pod to a hybrid pod's
	// IP: the path webhooks and services take.
	FileCloudPodToHybridPod = "routing-cloud-pod-to-hybrid-pod.txt"
	// FileHybridPodToVPC is a TCP connection from a hybrid pod to the
	// cluster's API endpoint, whose interfaces are in the VPC.
	FileHybridPodToVPC = "routing-hybrid-pod-to-vpc.txt"
	// FileDNSFromHybrid and FileDNSFromCloud are dig's answer for the
	// on-premises zone from a pod on each side.
	FileDNSFromHybrid = "dns-from-hybrid-pod.txt"
	FileDNSFromCloud  = "dns-from-cloud-pod.txt"
)

// ExitSuffix names the file holding a check's exit status.
const ExitSuffix = ".exit"

// GPUQueryFields are the --query-gpu fields the GPU pod prints.
func GPUQueryFields() []string {
	return []string{"index", "name", "uuid", "memory.total", "driver_version"}
}
