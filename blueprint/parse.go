package blueprint

import (
	"fmt"

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
// value: the starting point for a user's own (see Reference). The SSM
// activation code, if any, is written: keep the file as secret as the
// code.
func Marshal(b Blueprint) ([]byte, error) {
	y, err := yamlenc.Marshal(b)
	if err != nil {
		return nil, fmt.Errorf("blueprint: %w", err)
	}
	return y, nil
}
