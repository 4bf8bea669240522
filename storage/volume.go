package storage

import (
	"fmt"
	"net/netip"
	"path"
	"slices"
	"strings"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	k8svalidation "k8s.io/apimachinery/pkg/util/validation"
	"k8s.io/apimachinery/pkg/util/validation/field"

	"github.com/hybridkit/hybridkit/advice"
	ivalidation "github.com/hybridkit/hybridkit/internal/validation"
	"github.com/hybridkit/hybridkit/nodeconfig"
)

// NFSCSIDriver is the Kubernetes NFS CSI driver's name
// (kubernetes-csi/csi-driver-nfs).
const NFSCSIDriver = "nfs.csi.k8s.io"

// Placement says which nodes may mount a volume.
type Placement string

// Placements. On-premises storage is fast from hybrid nodes and, over
// Direct Connect, may be fast enough from cloud nodes; the PV's node
// affinity keeps pods that mount it where the path is.
const (
	Anywhere   Placement = "anywhere"
	HybridOnly Placement = "hybrid-only"
	CloudOnly  Placement = "cloud-only"
)

// NFS is an in-tree NFS volume.
type NFS struct {
	// Server is an IP address or a DNS name.
	Server string `json:"server"`
	// Path is the export, absolute.
	Path     string `json:"path"`
	ReadOnly bool   `json:"readOnly,omitempty"`
}

// CSI is a volume of any CSI driver (Lustre, a vendor's driver, or the NFS
// CSI driver through NFSCSI).
type CSI struct {
	Driver       string            `json:"driver"`
	VolumeHandle string            `json:"volumeHandle"`
	FSType       string            `json:"fsType,omitempty"`
	Attributes   map[string]string `json:"attributes,omitempty"`
	ReadOnly     bool              `json:"readOnly,omitempty"`
}

// Volume is a statically provisioned volume and its claim: exactly one of
// NFS, NFSCSI (an NFS export through nfs.csi.k8s.io) and CSI.
type Volume struct {
	// Name names the PersistentVolume; ClaimName (default Name) the
	// PersistentVolumeClaim in Namespace (default "default").
	Name      string `json:"name"`
	ClaimName string `json:"claimName,omitempty"`
	Namespace string `json:"namespace,omitempty"`
	// Capacity is a Kubernetes quantity ("10Ti").
	Capacity string `json:"capacity"`
	// AccessModes default to ReadWriteMany.
	AccessModes []corev1.PersistentVolumeAccessMode `json:"accessModes,omitempty"`
	// ReclaimPolicy defaults to Retain: deleting the claim must never
	// delete data on a shared on-premises filer.
	ReclaimPolicy corev1.PersistentVolumeReclaimPolicy `json:"reclaimPolicy,omitempty"`
	// StorageClassName binds by class; empty binds the claim to this PV by
	// volumeName and claimRef (and sets storageClassName "" on both, so the
	// default StorageClass does not provision a new volume instead).
	StorageClassName string `json:"storageClassName,omitempty"`
	// MountOptions default to NFSPresets(0) for NFS volumes.
	MountOptions []string  `json:"mountOptions,omitempty"`
	Placement    Placement `json:"placement,omitempty"`
	Workload     Workload  `json:"workload,omitempty"`

	NFS    *NFS `json:"nfs,omitempty"`
	NFSCSI *NFS `json:"nfsCsi,omitempty"`
	CSI    *CSI `json:"csi,omitempty"`
}

// Default fills ClaimName, Namespace, AccessModes, ReclaimPolicy,
// Placement (anywhere), Workload (read-write) and, for NFS volumes
// without options, the presets. Idempotent; nil is a no-op.
func (v *Volume) Default() {
	if v == nil {
		return
	}
	if v.ClaimName == "" {
		v.ClaimName = v.Name
	}
	if v.Namespace == "" {
		v.Namespace = "default"
	}
	if len(v.AccessModes) == 0 {
		v.AccessModes = []corev1.PersistentVolumeAccessMode{corev1.ReadWriteMany}
	}
	if v.ReclaimPolicy == "" {
		v.ReclaimPolicy = corev1.PersistentVolumeReclaimRetain
	}
	if v.Placement == "" {
		v.Placement = Anywhere
	}
	if v.Workload == "" {
		v.Workload = ReadWrite
	}
	if len(v.MountOptions) == 0 && (v.NFS != nil || v.NFSCSI != nil) {
		v.MountOptions = PresetOptions(0)
	}
}

// validServer accepts an IP address or a DNS name (RFC 1123 subdomain).
func validServer(s string) bool {
	if _, err := netip.ParseAddr(s); err == nil {
		return true
	}
	return len(k8svalidation.IsDNS1123Subdomain(s)) == 0
}

// defaulted returns a copy of v with Default applied that shares no
// memory Default writes (the slices it fills are new): every entry point
// reads the volume through it, so a zero field means its default and the
// caller's value never changes.
func (v Volume) defaulted() Volume {
	v.Default()
	return v
}

// Validate returns nil, or every problem with its JSON path as an
// aggregate of *field.Error. It reads v with its defaults.
func (v Volume) Validate() error { return ivalidation.ToError("storage", v.ValidateAt(nil)) }

// ValidateAt is Validate with paths under fp.
func (v Volume) ValidateAt(fp *field.Path) field.ErrorList {
	v = v.defaulted()
	var errs field.ErrorList
	for _, n := range []struct{ name, value string }{{"name", v.Name}, {"claimName", v.ClaimName}} {
		for _, msg := range k8svalidation.IsDNS1123Subdomain(n.value) {
			errs = append(errs, field.Invalid(fp.Child(n.name), n.value, msg))
		}
	}
	for _, msg := range k8svalidation.IsDNS1123Label(v.Namespace) {
		errs = append(errs, field.Invalid(fp.Child("namespace"), v.Namespace, msg))
	}
	if q, err := resource.ParseQuantity(v.Capacity); err != nil {
		errs = append(errs, field.Invalid(fp.Child("capacity"), v.Capacity, "must be a quantity such as 10Ti"))
	} else if q.Sign() <= 0 {
		errs = append(errs, field.Invalid(fp.Child("capacity"), v.Capacity, "must be positive"))
	}
	known := []corev1.PersistentVolumeAccessMode{corev1.ReadWriteOnce, corev1.ReadOnlyMany, corev1.ReadWriteMany, corev1.ReadWriteOncePod}
	for i, m := range v.AccessModes {
		if !slices.Contains(known, m) {
			errs = append(errs, field.NotSupported(fp.Child("accessModes").Index(i), m, known))
		}
	}
	switch v.ReclaimPolicy {
	case corev1.PersistentVolumeReclaimRetain, corev1.PersistentVolumeReclaimDelete:
	default:
		errs = append(errs, field.NotSupported(fp.Child("reclaimPolicy"), v.ReclaimPolicy, []corev1.PersistentVolumeReclaimPolicy{corev1.PersistentVolumeReclaimRetain, corev1.PersistentVolumeReclaimDelete}))
	}
	if v.StorageClassName != "" {
		for _, msg := range k8svalidation.IsDNS1123Subdomain(v.StorageClassName) {
			errs = append(errs, field.Invalid(fp.Child("storageClassName"), v.StorageClassName, msg))
		}
	}
	switch v.Placement {
	case Anywhere, HybridOnly, CloudOnly:
	default:
		errs = append(errs, field.NotSupported(fp.Child("placement"), v.Placement, []Placement{Anywhere, HybridOnly, CloudOnly}))
	}
	switch v.Workload {
	case ReadOnly, ReadWrite:
	default:
		errs = append(errs, field.NotSupported(fp.Child("workload"), v.Workload, []Workload{ReadOnly, ReadWrite}))
	}
	if _, err := ParseMountOptions(v.MountOptions); err != nil {
		errs = append(errs, field.Invalid(fp.Child("mountOptions"), strings.Join(v.MountOptions, ","), strings.TrimPrefix(err.Error(), "storage: ")))
	}
	n := 0
	for _, s := range []struct {
		name string
		nfs  *NFS
	}{{"nfs", v.NFS}, {"nfsCsi", v.NFSCSI}} {
		if s.nfs == nil {
			continue
		}
		n++
		errs = append(errs, s.nfs.ValidateAt(fp.Child(s.name))...)
	}
	if c := v.CSI; c != nil {
		n++
		cp := fp.Child("csi")
		if c.Driver == "" || len(c.Driver) > 63 || len(k8svalidation.IsDNS1123Subdomain(strings.ToLower(c.Driver))) > 0 {
			errs = append(errs, field.Invalid(cp.Child("driver"), c.Driver, "must be a CSI driver name such as fsx.csi.aws.com (a DNS name, at most 63 characters)"))
		}
		if c.VolumeHandle == "" {
			errs = append(errs, field.Required(cp.Child("volumeHandle"), "the driver's ID of the volume"))
		}
		errs = append(errs, ivalidation.PlainText(cp.Child("volumeHandle"), c.VolumeHandle)...)
		for _, k := range sortedKeys(c.Attributes) {
			errs = append(errs, ivalidation.PlainText(cp.Child("attributes").Key(k), c.Attributes[k])...)
		}
	}
	if n != 1 {
		errs = append(errs, field.Invalid(fp.Child("nfs"), n, "exactly one of nfs, nfsCsi and csi"))
	}
	return errs
}

// Validate returns nil, or every problem with its JSON path (ValidateAt).
func (n NFS) Validate() error { return ivalidation.ToError("storage", n.ValidateAt(nil)) }

// ValidateAt checks the share with paths under fp: Server an IP address
// or a DNS name, Path an absolute, clean export path of plain text.
func (n NFS) ValidateAt(fp *field.Path) field.ErrorList {
	var errs field.ErrorList
	if !validServer(n.Server) {
		errs = append(errs, field.Invalid(fp.Child("server"), n.Server, "must be an IP address or a DNS name"))
	}
	switch {
	case !strings.HasPrefix(n.Path, "/"):
		errs = append(errs, field.Invalid(fp.Child("path"), n.Path, "must be an absolute export path"))
	case path.Clean(n.Path) != n.Path:
		errs = append(errs, field.Invalid(fp.Child("path"), n.Path, "must be a clean path ("+path.Clean(n.Path)+")"))
	default:
		errs = append(errs, ivalidation.PlainText(fp.Child("path"), n.Path)...)
	}
	return errs
}

func sortedKeys(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// CodeReclaimDelete is the code of Lint's finding on a Delete reclaim
// policy.
const CodeReclaimDelete advice.Code = "storage/reclaim-delete"

// Lint reports mount options that are legal but wrong for the workload,
// and a Delete reclaim policy on shared storage.
func (v Volume) Lint() []advice.Finding {
	v = v.defaulted()
	opts, err := ParseMountOptions(v.MountOptions)
	var fs []advice.Finding
	if err == nil && (v.NFS != nil || v.NFSCSI != nil) {
		fs = append(fs, CheckMountOptions(opts, v.Workload)...)
	}
	if v.ReclaimPolicy == corev1.PersistentVolumeReclaimDelete && v.StorageClassName == "" {
		fs = append(fs, advice.Finding{Level: advice.Warning, Code: CodeReclaimDelete, Field: field.NewPath("reclaimPolicy").String(),
			Message: "reclaimPolicy Delete on a statically provisioned volume: deleting the claim asks the driver to delete the data on the shared filer (in-tree NFS cannot, and the PV goes Failed); use Retain",
			Ref:     "https://kubernetes.io/docs/concepts/storage/persistent-volumes/#reclaiming"})
	}
	return advice.Sort(fs)
}

// nodeAffinity returns the PV's node affinity for the placement, or nil.
func (v Volume) nodeAffinity() *corev1.VolumeNodeAffinity {
	var op corev1.NodeSelectorOperator
	switch v.Placement {
	case HybridOnly:
		op = corev1.NodeSelectorOpIn
	case CloudOnly:
		op = corev1.NodeSelectorOpNotIn
	default:
		return nil
	}
	return &corev1.VolumeNodeAffinity{Required: &corev1.NodeSelector{NodeSelectorTerms: []corev1.NodeSelectorTerm{{
		MatchExpressions: []corev1.NodeSelectorRequirement{{Key: nodeconfig.LabelComputeType, Operator: op, Values: []string{"hybrid"}}},
	}}}}
}

// Objects returns the PersistentVolume and its PersistentVolumeClaim for a
// valid volume (after Default): bound by class name, or by volumeName and
// claimRef with storageClassName "" on both; the PV's node affinity
// follows Placement. An invalid volume returns the validation error.
func (v Volume) Objects() (*corev1.PersistentVolume, *corev1.PersistentVolumeClaim, error) {
	v = v.defaulted()
	if err := v.Validate(); err != nil {
		return nil, nil, err
	}
	qty := resource.MustParse(v.Capacity)
	labels := map[string]string{"app.kubernetes.io/managed-by": "hybridkit"}
	pv := &corev1.PersistentVolume{
		TypeMeta:   metav1.TypeMeta{APIVersion: "v1", Kind: "PersistentVolume"},
		ObjectMeta: metav1.ObjectMeta{Name: v.Name, Labels: labels},
		Spec: corev1.PersistentVolumeSpec{
			Capacity:                      corev1.ResourceList{corev1.ResourceStorage: qty},
			AccessModes:                   v.AccessModes,
			PersistentVolumeReclaimPolicy: v.ReclaimPolicy,
			StorageClassName:              v.StorageClassName,
			MountOptions:                  v.MountOptions,
			NodeAffinity:                  v.nodeAffinity(),
		},
	}
	switch {
	case v.NFS != nil:
		pv.Spec.NFS = &corev1.NFSVolumeSource{Server: v.NFS.Server, Path: v.NFS.Path, ReadOnly: v.NFS.ReadOnly}
	case v.NFSCSI != nil:
		// The handle only has to be unique in the cluster: the driver
		// mounts from volumeAttributes (csi-driver-nfs, static PV example).
		pv.Spec.CSI = &corev1.CSIPersistentVolumeSource{Driver: NFSCSIDriver, VolumeHandle: "hybridkit-" + v.Name, ReadOnly: v.NFSCSI.ReadOnly,
			VolumeAttributes: map[string]string{"server": v.NFSCSI.Server, "share": v.NFSCSI.Path}}
	case v.CSI != nil:
		pv.Spec.CSI = &corev1.CSIPersistentVolumeSource{Driver: v.CSI.Driver, VolumeHandle: v.CSI.VolumeHandle, FSType: v.CSI.FSType, ReadOnly: v.CSI.ReadOnly, VolumeAttributes: v.CSI.Attributes}
	}
	className := v.StorageClassName
	pvc := &corev1.PersistentVolumeClaim{
		TypeMeta:   metav1.TypeMeta{APIVersion: "v1", Kind: "PersistentVolumeClaim"},
		ObjectMeta: metav1.ObjectMeta{Name: v.ClaimName, Namespace: v.Namespace, Labels: labels},
		Spec: corev1.PersistentVolumeClaimSpec{
			AccessModes:      v.AccessModes,
			StorageClassName: &className,
			Resources:        corev1.VolumeResourceRequirements{Requests: corev1.ResourceList{corev1.ResourceStorage: qty}},
		},
	}
	if v.StorageClassName == "" {
		pvc.Spec.VolumeName = v.Name
		pv.Spec.ClaimRef = &corev1.ObjectReference{APIVersion: "v1", Kind: "PersistentVolumeClaim", Namespace: v.Namespace, Name: v.ClaimName}
	}
	return pv, pvc, nil
}

// String describes the volume in one line.
func (v Volume) String() string {
	src := "csi"
	switch {
	case v.NFS != nil:
		src = "nfs " + v.NFS.Server + ":" + v.NFS.Path
	case v.NFSCSI != nil:
		src = NFSCSIDriver + " " + v.NFSCSI.Server + ":" + v.NFSCSI.Path
	case v.CSI != nil:
		src = v.CSI.Driver + " " + v.CSI.VolumeHandle
	}
	return fmt.Sprintf("%s (%s, %s)", v.Name, v.Capacity, src)
}
