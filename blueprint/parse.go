package blueprint

import (
	"bytes"
	"fmt"
	"reflect"
	"strings"

	"github.com/hybridkit/hybridkit/internal/strict"
	ivalidation "github.com/hybridkit/hybridkit/internal/validation"
	"github.com/hybridkit/hybridkit/internal/yamlenc"
)

// MaxBlueprintBytes is the largest blueprint Parse reads: 3 MiB, the
// request-body limit of kube-apiserver (k8s.io/apiserver
// pkg/server/config.go, MaxRequestBodyBytes), which no real blueprint
// comes near.
const MaxBlueprintBytes = strict.MaxDocumentBytes

// Parse decodes a YAML (or JSON) blueprint strictly: every unknown key and
// every value its type refuses (a malformed CIDR, address or domain name,
// a number out of range, an expiration that is not RFC 3339) is an error
// with its path and its line and column, all at once. It accepts exactly
// one document of at most MaxBlueprintBytes, whose aliases add at most
// 100,000 nodes once expanded; the SSM activation code must be written
// out as a plain string and never appears in an error. It does not
// Default or validate; Render does both.
func Parse(data []byte) (Blueprint, error) {
	var b Blueprint
	errs, err := strict.DecodeYAML(data, &b, nil)
	if err != nil {
		return Blueprint{}, fmt.Errorf("blueprint: %w", err)
	}
	if err := ivalidation.ToError("blueprint", errs); err != nil {
		return Blueprint{}, err
	}
	return b, nil
}

// Marshal writes the blueprint as YAML that Parse reads back to the same
// value: the starting point for a user's own (see Reference). The
// sections come in reading order — the cluster, its VPC, the site, the
// link, the credentials, the node pools, DNS, storage, workloads,
// pricing — each after a one-line comment; keys within a section are
// sorted. The SSM activation code, if any, is written: keep the file as
// secret as the code.
func Marshal(b Blueprint) ([]byte, error) {
	tree, err := yamlenc.Tree(b)
	if err != nil {
		return nil, fmt.Errorf("blueprint: %w", err)
	}
	sections, _ := tree.(map[string]any)
	var out bytes.Buffer
	t := reflect.TypeFor[Blueprint]()
	for i := range t.NumField() {
		name, _, _ := strings.Cut(t.Field(i).Tag.Get("json"), ",")
		v, ok := sections[name]
		if !ok {
			continue // empty and omitted
		}
		y, err := yamlenc.MarshalTree(map[string]any{name: v})
		if err != nil {
			return nil, fmt.Errorf("blueprint: %w", err)
		}
		if out.Len() > 0 {
			out.WriteByte('\n')
		}
		out.WriteString("# " + sectionComment(name) + "\n")
		out.Write(y)
	}
	return out.Bytes(), nil
}

// sectionComment is the line Marshal writes above a top-level section.
func sectionComment(name string) string {
	switch name {
	case "cluster":
		return "The EKS cluster the hybrid nodes join."
	case "vpc":
		return "The cluster's VPC: its subnets hold the cluster's interfaces, the Transit Gateway attachment and the Resolver endpoints."
	case "site":
		return "The on-premises site: its networks, and the remote node and pod networks registered with the cluster."
	case "connectivity":
		return "The link between the site and the VPC, through a Transit Gateway."
	case "cni":
		return "The CNI on the hybrid nodes: cilium or calico."
	case "istio":
		return "Open Istio's ports in the firewall rules."
	case "credentials":
		return "How the nodes authenticate to AWS: an SSM hybrid activation or IAM Roles Anywhere."
	case "nodePools":
		return "The hybrid servers, in pools of identical machines."
	case "gpuSharing":
		return "Sharing each GPU between pods through the NVIDIA device plugin."
	case "dns":
		return "Hybrid DNS: the site's zones and servers and the Route 53 Resolver endpoints."
	case "storage":
		return "On-premises NFS exports to mount in the cluster."
	case "workloads":
		return "The example workloads and their images."
	case "pricing":
		return "Cost inputs: the price table, the month, a currency, and what to compare with."
	}
	return name
}
