package blueprint

import (
	"fmt"

	"github.com/hybridkit/hybridkit/internal/strict"
	ivalidation "github.com/hybridkit/hybridkit/internal/validation"
	"github.com/hybridkit/hybridkit/internal/yamlenc"
)

// Parse decodes a YAML (or JSON) blueprint strictly: every unknown key and
// every value its type refuses (a malformed CIDR, address or domain name)
// is an error with its path, all at once. It does not Default or
// validate; Render does both.
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
