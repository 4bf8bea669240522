package blueprint

import (
	"fmt"

	"k8s.io/apimachinery/pkg/util/validation/field"

	"github.com/hybridkit/hybridkit/advice"
)

// provenance records, while a domain model is built from the blueprint,
// which blueprint field each of the model's fields came from. A package's
// Lint speaks of its own model ("networks[3].prefix"); the blueprint's
// reader needs the field they wrote ("site.networks[0]"). Fields the
// record does not hold — values the blueprint derives rather than takes
// from the user — are reported at the section they belong to.
type provenance struct {
	section *field.Path
	from    map[string]*field.Path
}

// newProvenance starts a record whose unknown fields go to section.
func newProvenance(section *field.Path) provenance {
	return provenance{section: section, from: map[string]*field.Path{}}
}

// set records that the model's field at model came from the blueprint's
// field at bp.
func (p provenance) set(model, bp *field.Path) { p.from[model.String()] = bp }

// findings returns copies of fs at the blueprint fields their model
// fields came from.
func (p provenance) findings(fs []advice.Finding) []advice.Finding {
	out := make([]advice.Finding, len(fs))
	for i, f := range fs {
		at, ok := p.from[f.Field]
		if !ok {
			at = p.section
		}
		f.Field = ""
		if at != nil { // a nil path prints "<nil>"
			f.Field = at.String()
		}
		out[i] = f
	}
	return out
}

// internalError reports a model that a valid blueprint built but the
// model's own package refuses: a bug in the blueprint's checks, reported
// at the section the model comes from rather than rendered.
func internalError(at *field.Path, model string, err error) field.ErrorList {
	return field.ErrorList{field.InternalError(at, fmt.Errorf("%s built from the blueprint fails its own checks: %w", model, err))}
}
