package awssdk

import (
	"fmt"
	"reflect"
	"strings"
)

// Service names the AWS service, and so the client in [Clients], a step
// calls.
type Service string

// Services of a plan.
const (
	ServiceEKS             Service = "eks"
	ServiceEC2             Service = "ec2"
	ServiceDirectConnect   Service = "directconnect"
	ServiceIAM             Service = "iam"
	ServiceSSM             Service = "ssm"
	ServiceRolesAnywhere   Service = "rolesanywhere"
	ServiceRoute53Resolver Service = "route53resolver"
)

// Plan is the AWS side of a blueprint as aws-sdk-go-v2 calls, in the order
// they must be made: the order of the bundle's aws/ scripts.
type Plan struct {
	Steps []Step
}

// Step is one call. Input is a pointer to the SDK's own input type
// (*ec2.CreateRouteInput), complete except for the fields in Needs, which
// hold IDs that only exist once an earlier step has run: Apply fills them,
// a caller that makes the calls itself fills them from its own results.
type Step struct {
	// ID names the step uniquely within the plan ("transit-gateway",
	// "route/rtb-0a…/10.244.0.0/16"); Needs refer to it.
	ID string
	// Service and Operation name the client and its method
	// (ServiceEC2, "CreateRoute").
	Service   Service
	Operation string
	// Input is the SDK input, a pointer to a struct.
	Input any
	// Produces is the path, by Go field names, of the ID this step's
	// output gives later steps ("TransitGateway.TransitGatewayId"); empty
	// when no later step needs one.
	Produces string
	// Needs are the input's fields that take an earlier step's ID.
	Needs []Need
	// AwaitState is the state the created resource must reach before the
	// next step ("available", "OPERATIONAL"); empty when the next step may
	// follow at once.
	AwaitState string
}

// Need is one input field filled from an earlier step: Input.Field =
// the value at Produces in the output of the step named Step.
type Need struct {
	// Field is the top-level *string field of the input ("TransitGatewayId").
	Field string
	// Step is the ID of the step that produces the value.
	Step string
}

// Step returns the step with the given ID, and whether there is one.
func (p Plan) Step(id string) (Step, bool) {
	for _, s := range p.Steps {
		if s.ID == id {
			return s, true
		}
	}
	return Step{}, false
}

// Check reports a plan whose Needs do not hold together: a step ID used
// twice, a Need that names a later or unknown step or one that produces
// nothing, or a Need field that is not a *string field of the input. A
// plan from [Build] always passes; Check guards plans a caller edits.
func (p Plan) Check() error {
	seen := map[string]Step{}
	for i, s := range p.Steps {
		if s.ID == "" {
			return fmt.Errorf("awssdk: step %d has no ID", i)
		}
		if _, dup := seen[s.ID]; dup {
			return fmt.Errorf("awssdk: step ID %q is used twice", s.ID)
		}
		v := reflect.ValueOf(s.Input)
		if v.Kind() != reflect.Pointer || v.IsNil() || v.Elem().Kind() != reflect.Struct {
			return fmt.Errorf("awssdk: step %q: the input must be a non-nil pointer to an SDK input struct, not %T", s.ID, s.Input)
		}
		for _, n := range s.Needs {
			from, ok := seen[n.Step]
			switch {
			case !ok:
				return fmt.Errorf("awssdk: step %q needs %q, which is not an earlier step", s.ID, n.Step)
			case from.Produces == "":
				return fmt.Errorf("awssdk: step %q needs %q, which produces no ID", s.ID, n.Step)
			}
			f := v.Elem().FieldByName(n.Field)
			if !f.IsValid() || f.Type() != reflect.TypeFor[*string]() {
				return fmt.Errorf("awssdk: step %q: %T has no *string field %q", s.ID, s.Input, n.Field)
			}
		}
		seen[s.ID] = s
	}
	return nil
}

// withNeeds returns a shallow copy of the step's input with every Need set
// from ids (step ID → produced ID); the plan's own input is left as it is.
func withNeeds(s Step, ids map[string]string) (any, error) {
	v := reflect.ValueOf(s.Input)
	c := reflect.New(v.Elem().Type())
	c.Elem().Set(v.Elem())
	for _, n := range s.Needs {
		id, ok := ids[n.Step]
		if !ok {
			return nil, fmt.Errorf("awssdk: step %q needs the ID from %q, which has not run", s.ID, n.Step)
		}
		c.Elem().FieldByName(n.Field).Set(reflect.ValueOf(&id))
	}
	return c.Interface(), nil
}

// producedID reads the string at path (Go field names joined by dots,
// through pointers) in an SDK output.
func producedID(out any, path string) (string, error) {
	v := reflect.ValueOf(out)
	for _, name := range strings.Split(path, ".") {
		for v.Kind() == reflect.Pointer {
			if v.IsNil() {
				return "", fmt.Errorf("awssdk: the output has no %s", path)
			}
			v = v.Elem()
		}
		if v.Kind() != reflect.Struct {
			return "", fmt.Errorf("awssdk: the output has no %s", path)
		}
		v = v.FieldByName(name)
		if !v.IsValid() {
			return "", fmt.Errorf("awssdk: %T has no %s", out, path)
		}
	}
	if v.Kind() != reflect.Pointer || v.IsNil() || v.Elem().Kind() != reflect.String || v.Elem().String() == "" {
		return "", fmt.Errorf("awssdk: the output has no %s", path)
	}
	return v.Elem().String(), nil
}
