package inspect

import (
	"bytes"
	"fmt"
	"slices"
	"strconv"
	"strings"

	yaml "go.yaml.in/yaml/v3"
	appsv1 "k8s.io/api/apps/v1"
	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	nodev1 "k8s.io/api/node/v1"
	policyv1 "k8s.io/api/policy/v1"
	rbacv1 "k8s.io/api/rbac/v1"
	storagev1 "k8s.io/api/storage/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	k8slabels "k8s.io/apimachinery/pkg/labels"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/util/validation/field"

	"github.com/hybridkit/hybridkit/advice"
	"github.com/hybridkit/hybridkit/dnsplan"
	"github.com/hybridkit/hybridkit/gpu"
	"github.com/hybridkit/hybridkit/internal/imageref"
	"github.com/hybridkit/hybridkit/internal/strict"
	"github.com/hybridkit/hybridkit/placement"
	"github.com/hybridkit/hybridkit/storage"
)

// CodeUncheckedObject: an object of a kind inspect has no checks for.
const CodeUncheckedObject advice.Code = "inspect/unchecked-object"

const refKubernetesObjects = "https://kubernetes.io/docs/concepts/overview/working-with-objects/"

// newObject returns an empty object of a kind inspect decodes, or nil.
func newObject(apiVersion, kind string) runtime.Object {
	switch apiVersion + "/" + kind {
	case "v1/Pod":
		return &corev1.Pod{}
	case "v1/PodTemplate":
		return &corev1.PodTemplate{}
	case "v1/ConfigMap":
		return &corev1.ConfigMap{}
	case "v1/PersistentVolume":
		return &corev1.PersistentVolume{}
	case "v1/PersistentVolumeClaim":
		return &corev1.PersistentVolumeClaim{}
	case "v1/Service":
		return &corev1.Service{}
	case "v1/ServiceAccount":
		return &corev1.ServiceAccount{}
	case "v1/Namespace":
		return &corev1.Namespace{}
	case "v1/Secret":
		return &corev1.Secret{}
	case "v1/Node":
		return &corev1.Node{}
	case "apps/v1/Deployment":
		return &appsv1.Deployment{}
	case "apps/v1/DaemonSet":
		return &appsv1.DaemonSet{}
	case "apps/v1/StatefulSet":
		return &appsv1.StatefulSet{}
	case "apps/v1/ReplicaSet":
		return &appsv1.ReplicaSet{}
	case "batch/v1/Job":
		return &batchv1.Job{}
	case "batch/v1/CronJob":
		return &batchv1.CronJob{}
	case "node.k8s.io/v1/RuntimeClass":
		return &nodev1.RuntimeClass{}
	case "policy/v1/PodDisruptionBudget":
		return &policyv1.PodDisruptionBudget{}
	case "storage.k8s.io/v1/StorageClass":
		return &storagev1.StorageClass{}
	case "rbac.authorization.k8s.io/v1/ClusterRole":
		return &rbacv1.ClusterRole{}
	case "rbac.authorization.k8s.io/v1/ClusterRoleBinding":
		return &rbacv1.ClusterRoleBinding{}
	case "rbac.authorization.k8s.io/v1/Role":
		return &rbacv1.Role{}
	case "rbac.authorization.k8s.io/v1/RoleBinding":
		return &rbacv1.RoleBinding{}
	}
	return nil
}

// typeMeta is what a document says it is.
type typeMeta struct {
	APIVersion string `yaml:"apiVersion"`
	Kind       string `yaml:"kind"`
}

// checkManifests reads a YAML stream or JSON document of Kubernetes
// objects — `kubectl get -o yaml|json` output and Lists included — decodes
// each object strictly into its k8s.io/api type and checks it.
func (d *document) checkManifests() {
	d.lines = lineIndex{}
	for _, doc := range splitYAMLDocuments(d.data) {
		var root yaml.Node
		if err := yaml.Unmarshal(doc.data, &root); err != nil {
			msg := shiftLines(err.Error(), doc.line-1)
			line, ok := lineOf(msg)
			if !ok {
				line = doc.line
			}
			d.addAt("", line, advice.Finding{Level: advice.Error, Code: CodeParseError, Message: msg, Ref: refKubernetesObjects})
			continue
		}
		if len(root.Content) == 0 {
			continue
		}
		node := root.Content[0]
		x := lineIndex{}
		x.walk(node, "")
		prefix := "[" + strconv.Itoa(doc.index) + "]"
		if doc.count == 1 {
			prefix = ""
		}
		for p, l := range x {
			d.lines[join(prefix, p)] = l + doc.line - 1
		}
		var tm typeMeta
		_ = node.Decode(&tm)
		if strings.HasSuffix(tm.Kind, "List") {
			items := mappingValue(node, "items")
			if items == nil || items.Kind != yaml.SequenceNode {
				d.addAt(prefix, doc.line, advice.Finding{Level: advice.Error, Code: CodeParseError, Field: field.NewPath("items").String(), Message: tm.Kind + " without items", Ref: refKubernetesObjects})
				continue
			}
			for i, item := range items.Content {
				d.checkObject(item, join(prefix, "items["+strconv.Itoa(i)+"]"), doc.line-1)
			}
			continue
		}
		d.checkObject(node, prefix, doc.line-1)
	}
}

// checkObject decodes one object node found at path and checks it.
func (d *document) checkObject(node *yaml.Node, path string, lineOffset int) {
	var tm typeMeta
	_ = node.Decode(&tm)
	line := node.Line + lineOffset
	obj := newObject(tm.APIVersion, tm.Kind)
	if obj == nil {
		if tm.APIVersion == "" || tm.Kind == "" {
			d.addAt(path, line, advice.Finding{Level: advice.Error, Code: CodeParseError, Message: "an object without apiVersion and kind", Ref: refKubernetesObjects})
			return
		}
		d.addAt(path, line, advice.Finding{Level: advice.Info, Code: CodeUncheckedObject,
			Message: fmt.Sprintf("%s %s is not a kind inspect checks", advice.Quote(tm.APIVersion), advice.Quote(tm.Kind)), Ref: refKubernetesObjects})
		return
	}
	raw, err := yaml.Marshal(node)
	if err != nil {
		d.addAt(path, line, advice.Finding{Level: advice.Error, Code: CodeParseError, Message: err.Error(), Ref: refKubernetesObjects})
		return
	}
	res, err := strict.Decode(raw, obj, nil, strict.Options{})
	if err != nil {
		d.addAt(path, line, advice.Finding{Level: advice.Error, Code: CodeParseError, Message: err.Error(), Ref: refKubernetesObjects})
		return
	}
	if len(res.Errors) > 0 {
		for _, e := range res.Errors {
			d.addAt(path, line, advice.Finding{Level: advice.Error, Code: CodeInvalid, Field: e.Field, Message: e.ErrorBody(), Ref: refKubernetesObjects})
		}
		return
	}
	d.objects = append(d.objects, object{path: path, line: line, obj: obj})
	d.checkTyped(obj, path, line)
}

// object is a decoded Kubernetes object and where it stands in its file.
type object struct {
	path string
	line int
	obj  runtime.Object
}

// checkTyped runs the library's checks that apply to obj.
func (d *document) checkTyped(obj runtime.Object, path string, line int) {
	switch o := obj.(type) {
	case *corev1.PersistentVolume:
		d.addAt(join(path, "spec"), line, checkPersistentVolume(o)...)
		return
	case *corev1.ConfigMap:
		if s, ok := o.Data["Corefile"]; ok {
			base := join(path, "data[Corefile]")
			d.checkCorefileText([]byte(s), base, d.lines.line(base))
		}
		return
	}
	tmpl, _, err := placement.PodTemplateOf(obj)
	if err != nil {
		return
	}
	d.addAt(path, line, checkSelector(obj, tmpl.Labels)...)
	sp := join(path, specPath(obj))
	d.addAt(sp, line, placement.Lint(tmpl.Spec, d.nodes())...)
	d.addAt(sp, line, placement.CheckAutoscaler(tmpl.Spec, d.ctx.ClusterName, d.ctx.KubernetesVersion)...)
	for i, c := range tmpl.Spec.Containers {
		if ref, err := imageref.Parse(c.Image); err == nil && strings.HasSuffix(ref.Repository, "k8s-device-plugin") {
			at := join(sp, "containers["+strconv.Itoa(i)+"]")
			for _, f := range (gpu.DevicePluginOptions{Image: c.Image}).Lint() {
				if f.Code == gpu.CodeOutdatedDevicePlugin {
					d.addAt(at, line, f)
				}
			}
		}
	}
}

// refSelector: apps/v1 controllers require a selector that matches their
// template's labels (the API server's validation refuses the object).
const refSelector = "https://kubernetes.io/docs/concepts/workloads/controllers/deployment/#selector"

// checkSelector reports an apps/v1 controller without spec.selector, or
// one whose selector does not select its own template's labels: the API
// server refuses both, so the object never runs.
func checkSelector(obj runtime.Object, labels map[string]string) []advice.Finding {
	var sel *metav1.LabelSelector
	switch o := obj.(type) {
	case *appsv1.Deployment:
		sel = o.Spec.Selector
	case *appsv1.DaemonSet:
		sel = o.Spec.Selector
	case *appsv1.StatefulSet:
		sel = o.Spec.Selector
	case *appsv1.ReplicaSet:
		sel = o.Spec.Selector
	default:
		return nil
	}
	at := field.NewPath("spec", "selector")
	if sel == nil {
		return []advice.Finding{findingAt(advice.Error, CodeInvalid, at, refSelector,
			"apps/v1 requires spec.selector, matching spec.template.metadata.labels: kubectl apply and the API server refuse the object without it")}
	}
	s, err := metav1.LabelSelectorAsSelector(sel)
	if err != nil {
		return []advice.Finding{findingAt(advice.Error, CodeInvalid, at, refSelector, "the selector is invalid: %v", err)}
	}
	if s.Empty() || !s.Matches(k8slabels.Set(labels)) {
		return []advice.Finding{findingAt(advice.Error, CodeInvalid, at, refSelector,
			"the selector %s does not select the template's labels %s: the API server refuses the object", advice.Quote(s.String()), advice.Quote(k8slabels.Set(labels).String()))}
	}
	return nil
}

// specPath is where an object's pod spec is.
func specPath(obj runtime.Object) string {
	switch obj.(type) {
	case *corev1.Pod:
		return "spec"
	case *batchv1.CronJob:
		return "spec.jobTemplate.spec.template.spec"
	}
	return "spec.template.spec"
}

// checkPersistentVolume runs storage's checks on an NFS volume: its mount
// options for the access it grants, and a Delete reclaim policy on
// shared storage. Fields are relative to the PV's spec.
func checkPersistentVolume(pv *corev1.PersistentVolume) []advice.Finding {
	var server *storage.NFS
	switch {
	case pv.Spec.NFS != nil:
		server = &storage.NFS{Server: pv.Spec.NFS.Server, Path: pv.Spec.NFS.Path, ReadOnly: pv.Spec.NFS.ReadOnly}
	case pv.Spec.CSI != nil && pv.Spec.CSI.Driver == "nfs.csi.k8s.io":
		server = &storage.NFS{}
	default:
		return nil
	}
	w := storage.ReadWrite
	if len(pv.Spec.AccessModes) > 0 && allReadOnly(pv.Spec.AccessModes) || server.ReadOnly {
		w = storage.ReadOnly
	}
	var fs []advice.Finding
	opts, err := storage.ParseMountOptions(pv.Spec.MountOptions)
	if err != nil {
		return []advice.Finding{{Level: advice.Error, Code: CodeInvalid, Field: field.NewPath("mountOptions").String(), Message: err.Error(), Ref: "https://man7.org/linux/man-pages/man5/nfs.5.html"}}
	}
	fs = append(fs, storage.CheckMountOptions(opts, w)...)
	// Volume.Lint reads the reclaim policy as a PV would; its mount
	// options are checked above as written (Lint would default empty
	// ones to the presets).
	v := storage.Volume{ReclaimPolicy: pv.Spec.PersistentVolumeReclaimPolicy, StorageClassName: pv.Spec.StorageClassName, NFS: server, MountOptions: []string{"nfsvers=4.1", "hard"}}
	for _, f := range v.Lint() {
		if f.Code == storage.CodeReclaimDelete {
			f.Field = field.NewPath("persistentVolumeReclaimPolicy").String()
			fs = append(fs, f)
		}
	}
	return fs
}

func allReadOnly(ms []corev1.PersistentVolumeAccessMode) bool {
	for _, m := range ms {
		if m != corev1.ReadOnlyMany {
			return false
		}
	}
	return true
}

// nodes are the label sets placement.Lint compares selectors with: the
// Context's, plus those of the NodeConfigs inspected alongside. Without
// the Context's, nil: selectors are then not compared (the cloud nodes'
// labels are not known).
func (d *document) nodes() []map[string]string {
	if d.ctx.Nodes == nil {
		return nil
	}
	return append(append([]map[string]string{}, d.ctx.Nodes...), d.peerNodes...)
}

// checkCorefileText parses a Corefile found at base (a file, or a
// ConfigMap's data) whose first line is line+1, and checks it.
func (d *document) checkCorefileText(data []byte, base string, line int) {
	cf, err := dnsplan.ParseCorefile(data)
	if err != nil {
		n, _ := lineOf(err.Error())
		d.addAt(base, line+n, advice.Finding{Level: advice.Error, Code: CodeParseError, Message: err.Error(), Ref: "https://coredns.io/manual/toc/#configuration"})
		return
	}
	for bi, b := range cf.Blocks {
		bp := join(base, "blocks["+strconv.Itoa(bi)+"]")
		if len(b.Directives) > 0 && b.Directives[0].Line > 1 {
			d.lines[bp] = line + b.Directives[0].Line - 1
		}
		for di, dir := range b.Directives {
			if dir.Line > 0 {
				d.lines[bp+".directives["+strconv.Itoa(di)+"]"] = line + dir.Line
			}
		}
	}
	d.addAt(base, line, cf.Check()...)
	d.addAt(base, line, d.checkStubDomains(cf)...)
}

// checkStubDomains checks the zones of each block the kubernetes plugin
// does not serve as stub domains of the cluster: none may contain the
// cluster domain or, with the Context's networks, take the reverse zones
// of the pod and service CIDRs away from the kubernetes plugin.
func (d *document) checkStubDomains(cf dnsplan.Corefile) []advice.Finding {
	c := dnsplan.Cluster{Domain: dnsplan.MustParseDomain(dnsplan.DefaultClusterDomain), Networks: d.ctx.RemotePodNetworks}
	if d.ctx.ServiceCIDR.IsValid() {
		c.Networks = append(slices.Clone(c.Networks), d.ctx.ServiceCIDR)
	}
	var fs []advice.Finding
	for bi, b := range cf.Blocks {
		if isKubernetesBlock(b) {
			continue
		}
		for _, k := range b.Keys {
			zone, _, _ := strings.Cut(strings.TrimPrefix(k, "dns://"), ":")
			dom, err := dnsplan.ParseDomain(zone)
			if err != nil || zone == "." {
				continue // the root, or a CIDR key: not a stub domain
			}
			for _, e := range dnsplan.ValidateStubDomain(field.NewPath("blocks").Index(bi), dom, c) {
				fs = append(fs, advice.Finding{Level: advice.Error, Code: CodeInvalid, Field: e.Field, Message: e.ErrorBody(), Ref: "https://coredns.io/plugins/kubernetes/"})
			}
		}
	}
	return fs
}

// isKubernetesBlock reports a block served by the kubernetes plugin (the
// cluster's own zones, not a stub domain).
func isKubernetesBlock(b dnsplan.ServerBlock) bool {
	for _, dir := range b.Directives {
		if dir.Name == "kubernetes" {
			return true
		}
	}
	return false
}

// join appends a field path to a prefix.
func join(prefix, p string) string {
	switch {
	case prefix == "":
		return p
	case p == "":
		return prefix
	case p[0] == '[':
		return prefix + p
	}
	return prefix + "." + p
}

// mappingValue returns the value of key in a mapping node, or nil.
func mappingValue(n *yaml.Node, key string) *yaml.Node {
	if n == nil || n.Kind != yaml.MappingNode {
		return nil
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		if n.Content[i].Value == key {
			return n.Content[i+1]
		}
	}
	return nil
}

// yamlDocument is one document of a stream: its bytes, the line it starts
// on, its index and how many there are.
type yamlDocument struct {
	data         []byte
	line         int
	index, count int
}

// splitYAMLDocuments splits a stream at its "---" lines, keeping each
// document's first line so positions stay those of the file. Empty
// documents are dropped.
func splitYAMLDocuments(data []byte) []yamlDocument {
	var out []yamlDocument
	start, startLine, line := 0, 1, 1
	flush := func(end int) {
		if doc := data[start:end]; len(bytes.TrimSpace(stripComments(doc))) > 0 {
			out = append(out, yamlDocument{data: doc, line: startLine})
		}
	}
	for i := 0; i <= len(data); {
		j := bytes.IndexByte(data[i:], '\n')
		end := len(data)
		if j >= 0 {
			end = i + j
		}
		l := data[i:end]
		if bytes.Equal(bytes.TrimRight(l, " \t\r"), []byte("---")) || bytes.HasPrefix(l, []byte("--- ")) {
			flush(i)
			start, startLine = end+1, line+1
			if start > len(data) {
				start = len(data)
			}
		}
		if j < 0 {
			break
		}
		i = end + 1
		line++
	}
	flush(len(data))
	for i := range out {
		out[i].index, out[i].count = i, len(out)
	}
	return out
}

// stripComments drops YAML comment lines, so a document of comments only
// counts as empty.
func stripComments(doc []byte) []byte {
	var b bytes.Buffer
	for _, l := range bytes.Split(doc, []byte("\n")) {
		if t := bytes.TrimSpace(l); len(t) > 0 && t[0] != '#' {
			b.Write(t)
		}
	}
	return b.Bytes()
}

// shiftLines adds n to the "line N" of a YAML parser's message, so a
// document's error names the line of the file.
func shiftLines(msg string, n int) string {
	if l, ok := lineOf(msg); ok && n > 0 {
		return strings.Replace(msg, "line "+strconv.Itoa(l), "line "+strconv.Itoa(l+n), 1)
	}
	return msg
}
