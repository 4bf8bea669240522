package nodeconfig

import (
	"encoding/json"

	"k8s.io/apimachinery/pkg/util/validation/field"

	ivalidation "github.com/hybridkit/hybridkit/internal/validation"
)

// PolicyVersion is the IAM policy language version every document carries.
// Without it IAM falls back to 2008-10-17, in which policy variables such as
// ${aws:PrincipalTag/x509Subject/CN} are plain text (IAM User Guide, IAM
// JSON policy elements: Version).
const PolicyVersion = "2012-10-17"

// PolicyDocument is an IAM policy document: a role's trust policy or a
// permissions policy. Its JSON is what `aws iam create-role
// --assume-role-policy-document` and `put-role-policy --policy-document`
// take and what the AWS SDKs accept as a string.
type PolicyDocument struct {
	Version   string            `json:"Version" validate:"eq=2012-10-17"`
	Statement []PolicyStatement `json:"Statement" validate:"min=1,dive"`
}

// PolicyStatement is one statement. Action is always a list; Condition maps
// an operator (StringEquals, ArnEquals) to condition keys and their value.
type PolicyStatement struct {
	Sid       string                       `json:"Sid,omitempty"`
	Effect    string                       `json:"Effect" validate:"oneof=Allow Deny"`
	Principal *ServicePrincipal            `json:"Principal,omitempty"`
	Action    []string                     `json:"Action" validate:"min=1,dive,required,ne=*"`
	Resource  []string                     `json:"Resource,omitempty"`
	Condition map[string]map[string]string `json:"Condition,omitempty"`
}

// ServicePrincipal names the AWS service allowed to assume a role. The
// documents this package builds name only services, never an account or
// "*".
type ServicePrincipal struct {
	Service string `json:"Service" validate:"required,excludes=*"`
}

// JSON returns the document as compact JSON (map keys sorted by
// encoding/json, so the bytes are deterministic), after Validate.
func (d PolicyDocument) JSON() ([]byte, error) {
	if err := d.Validate(); err != nil {
		return nil, err
	}
	return json.Marshal(d)
}

// Validate returns nil, or every structural problem with its JSON path: a
// Version other than 2012-10-17, no statements, an Effect other than
// Allow or Deny, a statement without actions or allowing every action, a
// wildcard or empty principal, and a statement with neither a principal
// nor resources.
func (d PolicyDocument) Validate() error { return ivalidation.ToError("nodeconfig", d.ValidateAt(nil)) }

// ValidateAt is Validate with paths under fp.
func (d PolicyDocument) ValidateAt(fp *field.Path) field.ErrorList {
	errs := ivalidation.Struct(fp, &d)
	for i, s := range d.Statement {
		if s.Principal == nil && len(s.Resource) == 0 {
			errs = append(errs, field.Required(fp.Child("Statement").Index(i).Child("Resource"), "a statement without a principal needs resources"))
		}
	}
	return errs
}
