package blueprint

import (
	"k8s.io/apimachinery/pkg/util/validation/field"

	"github.com/hybridkit/hybridkit/advice"
	ivalidation "github.com/hybridkit/hybridkit/internal/validation"
)

// Validate returns nil, or every problem with the blueprint as one error
// whose field errors (errors.As a *field.Error through the aggregate)
// name the blueprint's own YAML fields: "nodePools[0].count",
// "dns.inbound.ips[1].ip". It checks the blueprint as Render reads it,
// with Default applied to a copy, so a field left zero means its default.
// The SSM activation code never appears in the error.
func (b Blueprint) Validate() error {
	return ivalidation.ToError("blueprint", redactErrors(b.ValidateAt(nil), b.secret()))
}

// ValidateAt is Validate for a blueprint embedded at path fp: every path
// is under fp. It reports each problem once, at the field to change — a
// value the pools or nodes share (the credentials, the site's zone, a
// pool's labels) at its own path, not once per node. The returned errors
// may hold the SSM activation code in no form: the code is only ever
// reported redacted.
func (b Blueprint) ValidateAt(fp *field.Path) field.ErrorList {
	_, errs := compile(b, fp)
	return errs
}

// Lint returns the findings Render returns — every package's advice on
// the blueprint and on the files it renders, sorted — or nil for a
// blueprint Validate refuses.
func (b Blueprint) Lint() []advice.Finding {
	_, findings, err := Render(b)
	if err != nil {
		return nil
	}
	return findings
}

// compile checks the blueprint (defaulted on a copy) field by field in
// its own terms and, when every field is sound, builds the domain models
// and checks what only the models can show (every flow the plan relies on
// is in the firewall rules, the routing plan holds). Errors are at
// blueprint paths under fp; the models are nil when there are errors.
func compile(b Blueprint, fp *field.Path) (*built, field.ErrorList) {
	b = b.defaulted()
	if errs := b.validateFields(fp); len(errs) > 0 {
		return nil, errs
	}
	bt, errs := build(b, fp)
	if len(errs) > 0 {
		return nil, errs
	}
	return bt, nil
}

// validateFields checks every field of a defaulted blueprint: the
// field-local rules of its struct tags, then the rules that relate fields
// (addresses inside networks, references between sections), each reported
// at the field to change.
func (b Blueprint) validateFields(fp *field.Path) field.ErrorList {
	errs := ivalidation.Struct(fp, &b)
	errs = append(errs, b.validateCluster(fp.Child("cluster"))...)
	errs = append(errs, b.validateVPC(fp.Child("vpc"))...)
	errs = append(errs, b.validateNetworks(fp)...)
	errs = append(errs, b.validateConnectivity(fp.Child("connectivity"), fp)...)
	errs = append(errs, b.validateDNS(fp.Child("dns"))...)
	errs = append(errs, b.validateCredentials(fp.Child("credentials"))...)
	errs = append(errs, b.validatePools(fp.Child("nodePools"), fp)...)
	errs = append(errs, b.validateStorage(fp.Child("storage"))...)
	errs = append(errs, b.validatePricing(fp.Child("pricing"))...)
	return errs
}

// defaulted returns a deep copy of b with Default applied.
func (b Blueprint) defaulted() Blueprint {
	c := b.clone()
	c.Default()
	return c
}
