package containerdconf

import (
	"bytes"
	"fmt"
	"strings"

	toml "github.com/pelletier/go-toml/v2"
	"k8s.io/apimachinery/pkg/util/validation"
	"k8s.io/apimachinery/pkg/util/validation/field"

	"github.com/hybridkit/hybridkit/internal/imageref"
	ivalidation "github.com/hybridkit/hybridkit/internal/validation"
)

// Validate reports every value Render would refuse: a version other than 2
// or 3, paths that are not absolute, runtime names that are not DNS labels
// (they become RuntimeClass handlers), a default runtime that is not
// defined, legacy keys in version 3, and any value that holds a quote or a
// newline. It returns nil when c can be rendered.
func (c Config) Validate() error {
	return ivalidation.ToError("containerdconf", c.ValidateAt(nil))
}

// ValidateAt is Validate for a Config embedded at path p.
func (c Config) ValidateAt(p *field.Path) field.ErrorList {
	var errs field.ErrorList
	if c.Version != 2 && c.Version != 3 {
		errs = append(errs, field.NotSupported(p.Child("version"), c.Version, []string{"2", "3"}))
	}
	if c.Root != "" {
		errs = append(errs, ivalidation.AbsPath(p.Child("root"), c.Root, false)...)
	}
	if c.State != "" {
		errs = append(errs, ivalidation.AbsPath(p.Child("state"), c.State, false)...)
	}
	for i, imp := range c.Imports {
		errs = append(errs, ivalidation.AbsPath(p.Child("imports").Index(i), imp, true)...)
	}
	if c.CRI != nil {
		errs = append(errs, c.CRI.validate(p.Child("cri"), c.Version)...)
	}
	return errs
}

func (c *CRI) validate(p *field.Path, version int) field.ErrorList {
	var errs field.ErrorList
	if c.SandboxImage != "" {
		if _, err := imageref.Parse(c.SandboxImage); err != nil {
			errs = append(errs, field.Invalid(p.Child("sandboxImage"), c.SandboxImage, err.Error()))
		}
	}
	if c.DefaultRuntimeName != "" {
		if _, ok := c.Runtimes[c.DefaultRuntimeName]; !ok {
			errs = append(errs, field.Invalid(p.Child("defaultRuntimeName"), c.DefaultRuntimeName,
				fmt.Sprintf("must name a runtime defined in this file (defined: %s)", strings.Join(c.RuntimeNames(), ", "))))
		}
	}
	for _, name := range c.RuntimeNames() {
		rp := p.Child("runtimes").Key(name)
		r := c.Runtimes[name]
		for _, msg := range validation.IsDNS1123Label(name) {
			errs = append(errs, field.Invalid(rp, name, "runtime name "+msg))
		}
		switch {
		case r.Type == "":
			errs = append(errs, field.Required(rp.Child("type"), "containerd refuses a runtime without runtime_type"))
		case !plainToken(r.Type):
			errs = append(errs, field.Invalid(rp.Child("type"), r.Type, "must be a runtime type such as "+RuntimeTypeRuncV2))
		}
		if r.BinaryName != "" {
			errs = append(errs, ivalidation.AbsPath(rp.Child("binaryName"), r.BinaryName, false)...)
		}
		if version >= 3 {
			if r.RuntimeRoot != nil {
				errs = append(errs, field.Forbidden(rp.Child("runtimeRoot"), "runtime_root was removed in containerd 2.0; use options.Root"))
			}
			if r.RuntimeEngine != nil {
				errs = append(errs, field.Forbidden(rp.Child("runtimeEngine"), "runtime_engine was removed in containerd 2.0"))
			}
		}
		if r.RuntimeRoot != nil && *r.RuntimeRoot != "" {
			errs = append(errs, ivalidation.AbsPath(rp.Child("runtimeRoot"), *r.RuntimeRoot, false)...)
		}
		if r.RuntimeEngine != nil && *r.RuntimeEngine != "" {
			errs = append(errs, ivalidation.AbsPath(rp.Child("runtimeEngine"), *r.RuntimeEngine, false)...)
		}
	}
	for i, d := range c.CDISpecDirs {
		errs = append(errs, ivalidation.AbsPath(p.Child("cdiSpecDirs").Index(i), d, false)...)
	}
	if c.RegistryConfigPath != "" {
		for i, d := range strings.Split(c.RegistryConfigPath, ":") {
			for _, e := range ivalidation.AbsPath(p.Child("registryConfigPath"), d, false) {
				e.Detail = fmt.Sprintf("entry %d of the colon-separated list %s", i, e.Detail)
				e.BadValue = c.RegistryConfigPath
				errs = append(errs, e)
			}
		}
	}
	for i, d := range c.CNIBinDirs {
		errs = append(errs, ivalidation.AbsPath(p.Child("cniBinDirs").Index(i), d, false)...)
	}
	if version == 2 && len(c.CNIBinDirs) > 1 {
		errs = append(errs, field.TooMany(p.Child("cniBinDirs"), len(c.CNIBinDirs), 1))
	}
	if version >= 3 && c.EnableCDI != nil && !*c.EnableCDI {
		errs = append(errs, field.Invalid(p.Child("enableCdi"), false, "containerd 2.x always enables CDI: a version 3 file cannot turn it off"))
	}
	if c.CNIConfDir != "" {
		errs = append(errs, ivalidation.AbsPath(p.Child("cniConfDir"), c.CNIConfDir, false)...)
	}
	return errs
}

// plainToken reports whether s is made of lower-case letters, digits, dots,
// dashes and underscores only.
func plainToken(s string) bool {
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '.' || r == '-' || r == '_') {
			return false
		}
	}
	return s != ""
}

// Render encodes c as TOML in the layout of its Version. It refuses a Config
// that Validate rejects and never returns partial output. The output is
// deterministic: tables in a fixed order, runtimes sorted by name.
func Render(c Config) ([]byte, error) {
	if err := c.Validate(); err != nil {
		return nil, err
	}
	var v any
	switch c.Version {
	case 2:
		f := v2File{header: c.header()}
		if c.CRI != nil {
			f.Plugins = &v2Plugins{CRI: c.CRI.toV2()}
		}
		v = f
	case 3:
		f := v3File{header: c.header()}
		if c.CRI != nil {
			f.Plugins = c.CRI.toV3()
		}
		v = f
	}
	var buf bytes.Buffer
	enc := toml.NewEncoder(&buf)
	if err := enc.Encode(v); err != nil {
		return nil, fmt.Errorf("containerdconf: encoding TOML: %w", err)
	}
	return buf.Bytes(), nil
}
