package containerdconf

import (
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"

	toml "github.com/pelletier/go-toml/v2"
)

// Parse reads a containerd config file of version 1 to 4 (a file without a
// version key is version 1, as containerd reads it). It is strict about the
// types of the keys it models — SystemdCgroup = "true" is an error — and
// tolerant of everything else: other plugins and options are ignored. The
// returned Config records every plugin table present in PluginIDs.
//
// Plugin IDs are matched exactly, as containerd looks them up in a map: a
// table named 'io.containerd.GRPC.v1.cri' is some other plugin. Keys inside
// a table are matched ignoring case, as containerd's TOML decoder matches
// struct fields. Errors carry the line and column, or the key path, of the
// problem.
func Parse(data []byte) (Config, error) {
	var doc map[string]any
	if err := toml.Unmarshal(data, &doc); err != nil {
		var de *toml.DecodeError
		if errors.As(err, &de) {
			row, col := de.Position()
			return Config{}, fmt.Errorf("containerdconf: line %d column %d: %s", row, col, strings.TrimPrefix(de.Error(), "toml: "))
		}
		return Config{}, fmt.Errorf("containerdconf: %w", err)
	}
	var r reader
	version := 1
	if v, ok := lookup(doc, "version"); ok {
		n, isInt := v.(int64)
		switch {
		case !isInt:
			return Config{}, fmt.Errorf("containerdconf: version must be an integer, not %s", tomlType(v))
		case n < 1 || n > 4:
			return Config{}, fmt.Errorf("containerdconf: unsupported config version %d (containerd knows 1 to 4)", n)
		}
		version = int(n)
	}
	c := Config{
		Version: version,
		Root:    r.str(doc, "", "root"),
		State:   r.str(doc, "", "state"),
		Imports: r.strs(doc, "", "imports"),
	}
	plugins := r.table(doc, "", "plugins")
	if plugins != nil {
		c.PluginIDs = slices.Sorted(maps.Keys(plugins))
	}
	switch version {
	case 1, 2:
		id := PluginCRIv2
		if version == 1 {
			id = PluginCRIv1
		}
		if t := r.plugin(plugins, id); t != nil {
			c.CRI = r.criV2(t, pluginPath(id))
		}
	default:
		im := r.plugin(plugins, PluginCRIImages)
		rt := r.plugin(plugins, PluginCRIRuntime)
		if im != nil || rt != nil {
			c.CRI = r.criV3(im, rt)
		}
	}
	if r.err != nil {
		return Config{}, r.err
	}
	c.IgnoredKeys = r.ignored
	return c, nil
}

func pluginPath(id string) string { return `plugins."` + id + `"` }

// reader pulls typed values out of a decoded TOML tree and keeps the first
// type error.
type reader struct {
	err     error
	ignored []string // keys containerd ignores in this version
}

func (r *reader) fail(path, key string, v any, want string) {
	if r.err == nil {
		if path != "" {
			key = path + "." + key
		}
		r.err = fmt.Errorf("containerdconf: %s must be %s, not %s", key, want, tomlType(v))
	}
}

// lookup finds key in m: exactly, or else ignoring case.
func lookup(m map[string]any, key string) (any, bool) {
	if v, ok := m[key]; ok {
		return v, true
	}
	for k, v := range m {
		if strings.EqualFold(k, key) {
			return v, true
		}
	}
	return nil, false
}

func (r *reader) plugin(plugins map[string]any, id string) map[string]any {
	v, ok := plugins[id]
	if !ok {
		return nil
	}
	t, ok := v.(map[string]any)
	if !ok {
		r.fail("plugins", `"`+id+`"`, v, "a table")
		return nil
	}
	return t
}

func (r *reader) table(m map[string]any, path, key string) map[string]any {
	v, ok := lookup(m, key)
	if !ok {
		return nil
	}
	t, ok := v.(map[string]any)
	if !ok {
		r.fail(path, key, v, "a table")
		return nil
	}
	return t
}

func (r *reader) str(m map[string]any, path, key string) string {
	v, ok := lookup(m, key)
	if !ok {
		return ""
	}
	s, ok := v.(string)
	if !ok {
		r.fail(path, key, v, "a string")
	}
	return s
}

func (r *reader) optStr(m map[string]any, path, key string) *string {
	if _, ok := lookup(m, key); !ok {
		return nil
	}
	s := r.str(m, path, key)
	return &s
}

func (r *reader) boolean(m map[string]any, path, key string) *bool {
	v, ok := lookup(m, key)
	if !ok {
		return nil
	}
	b, ok := v.(bool)
	if !ok {
		r.fail(path, key, v, "a boolean")
		return nil
	}
	return &b
}

// strs reads an array of strings; an empty array is kept apart from an
// absent key (containerd's default).
func (r *reader) strs(m map[string]any, path, key string) []string {
	v, ok := lookup(m, key)
	if !ok {
		return nil
	}
	arr, ok := v.([]any)
	if !ok {
		r.fail(path, key, v, "an array of strings")
		return nil
	}
	out := make([]string, 0, len(arr))
	for i, e := range arr {
		s, ok := e.(string)
		if !ok {
			r.fail(path, fmt.Sprintf("%s[%d]", key, i), e, "a string")
			return nil
		}
		out = append(out, s)
	}
	return out
}

func (r *reader) runtimes(m map[string]any, path string) map[string]Runtime {
	ts := r.table(m, path, "runtimes")
	if len(ts) == 0 {
		return nil
	}
	path += ".runtimes"
	out := make(map[string]Runtime, len(ts))
	for name, v := range ts {
		rp := path + "." + tomlKey(name)
		t, ok := v.(map[string]any)
		if !ok {
			r.fail(path, tomlKey(name), v, "a table")
			continue
		}
		rt := Runtime{
			Type:                         r.str(t, rp, "runtime_type"),
			PrivilegedWithoutHostDevices: r.boolean(t, rp, "privileged_without_host_devices"),
			RuntimeRoot:                  r.optStr(t, rp, "runtime_root"),
			RuntimeEngine:                r.optStr(t, rp, "runtime_engine"),
		}
		if o := r.table(t, rp, "options"); o != nil {
			rt.BinaryName = r.str(o, rp+".options", "BinaryName")
			rt.SystemdCgroup = r.boolean(o, rp+".options", "SystemdCgroup")
		}
		out[name] = rt
	}
	return out
}

// criV2 reads the CRI table of versions 1 and 2.
func (r *reader) criV2(t map[string]any, path string) *CRI {
	c := &CRI{
		SandboxImage: r.str(t, path, "sandbox_image"),
		EnableCDI:    r.boolean(t, path, "enable_cdi"),
		CDISpecDirs:  r.strs(t, path, "cdi_spec_dirs"),
	}
	if ct := r.table(t, path, "containerd"); ct != nil {
		cp := path + ".containerd"
		c.DefaultRuntimeName = r.str(ct, cp, "default_runtime_name")
		c.DiscardUnpackedLayers = r.boolean(ct, cp, "discard_unpacked_layers")
		c.Runtimes = r.runtimes(ct, cp)
	}
	if reg := r.table(t, path, "registry"); reg != nil {
		c.RegistryConfigPath = r.str(reg, path+".registry", "config_path")
	}
	if cni := r.table(t, path, "cni"); cni != nil {
		if d := r.str(cni, path+".cni", "bin_dir"); d != "" {
			c.CNIBinDirs = []string{d}
		}
		c.CNIConfDir = r.str(cni, path+".cni", "conf_dir")
	}
	return c
}

// criV3 reads the split CRI plugins of versions 3 and 4.
func (r *reader) criV3(im, rt map[string]any) *CRI {
	c := &CRI{}
	if im != nil {
		ip := pluginPath(PluginCRIImages)
		c.DiscardUnpackedLayers = r.boolean(im, ip, "discard_unpacked_layers")
		if pin := r.table(im, ip, "pinned_images"); pin != nil {
			c.SandboxImage = r.str(pin, ip+".pinned_images", "sandbox")
		}
		if reg := r.table(im, ip, "registry"); reg != nil {
			c.RegistryConfigPath = r.str(reg, ip+".registry", "config_path")
		}
	}
	if rt != nil {
		rp := pluginPath(PluginCRIRuntime)
		c.CDISpecDirs = r.strs(rt, rp, "cdi_spec_dirs")
		if _, ok := lookup(rt, "enable_cdi"); ok {
			r.ignored = append(r.ignored, rp+".enable_cdi")
		}
		if ct := r.table(rt, rp, "containerd"); ct != nil {
			c.DefaultRuntimeName = r.str(ct, rp+".containerd", "default_runtime_name")
			c.Runtimes = r.runtimes(ct, rp+".containerd")
		}
		if cni := r.table(rt, rp, "cni"); cni != nil {
			c.CNIBinDirs = r.strs(cni, rp+".cni", "bin_dirs")
			c.CNIConfDir = r.str(cni, rp+".cni", "conf_dir")
			if _, ok := lookup(cni, "bin_dir"); ok {
				r.ignored = append(r.ignored, rp+".cni.bin_dir")
			}
		}
	}
	return c
}

func tomlType(v any) string {
	switch v.(type) {
	case string:
		return "a string"
	case int64:
		return "an integer"
	case float64:
		return "a float"
	case bool:
		return "a boolean"
	case []any:
		return "an array"
	case map[string]any:
		return "a table"
	}
	return fmt.Sprintf("a %T", v)
}
