package nodeconfig

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
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
	Version   string            `json:"Version"`
	Statement []PolicyStatement `json:"Statement"`
}

// PolicyStatement is one statement. Action is always a list; Condition maps
// an operator (StringEquals, ArnEquals) to condition keys and their value.
type PolicyStatement struct {
	Sid       string                       `json:"Sid,omitempty"`
	Effect    string                       `json:"Effect"`
	Principal *ServicePrincipal            `json:"Principal,omitempty"`
	Action    []string                     `json:"Action"`
	Resource  []string                     `json:"Resource,omitempty"`
	Condition map[string]map[string]string `json:"Condition,omitempty"`
}

// ServicePrincipal names the AWS service allowed to assume a role. The
// documents this package builds name only services, never an account or
// "*".
type ServicePrincipal struct {
	Service string `json:"Service"`
}

// JSON returns the document as compact JSON (map keys sorted by
// encoding/json, so the bytes are deterministic), after Check.
func (d PolicyDocument) JSON() ([]byte, error) {
	if err := d.Check(); err != nil {
		return nil, err
	}
	return json.Marshal(d)
}

// Check reports the first structural problem: a Version other than
// 2012-10-17, no statements, an Effect other than Allow or Deny, a
// statement without actions, or a wildcard or empty principal.
func (d PolicyDocument) Check() error {
	if d.Version != PolicyVersion {
		return fmt.Errorf("nodeconfig: policy Version %q, want %q", d.Version, PolicyVersion)
	}
	if len(d.Statement) == 0 {
		return fmt.Errorf("nodeconfig: policy has no statements")
	}
	for i, s := range d.Statement {
		switch {
		case s.Effect != "Allow" && s.Effect != "Deny":
			return fmt.Errorf("nodeconfig: statement %d: Effect %q, want Allow or Deny", i, s.Effect)
		case len(s.Action) == 0:
			return fmt.Errorf("nodeconfig: statement %d has no actions", i)
		case s.Principal != nil && (s.Principal.Service == "" || strings.Contains(s.Principal.Service, "*")):
			return fmt.Errorf("nodeconfig: statement %d: principal %q is empty or a wildcard", i, s.Principal.Service)
		case s.Principal == nil && len(s.Resource) == 0:
			return fmt.Errorf("nodeconfig: statement %d has neither a principal nor resources", i)
		case slices.Contains(s.Action, "*"):
			return fmt.Errorf("nodeconfig: statement %d allows every action", i)
		}
	}
	return nil
}
