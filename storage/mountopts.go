package storage

import (
	"fmt"
	"strconv"
	"strings"

	"k8s.io/apimachinery/pkg/util/validation/field"

	"github.com/hybridkit/hybridkit/advice"
)

// MountOption is one NFS mount option: a flag ("hard") or key=value
// ("timeo=600").
type MountOption struct {
	Key   string `json:"key"`
	Value string `json:"value,omitempty"`
	// HasValue distinguishes "key=" from "key".
	HasValue bool `json:"hasValue,omitempty"`
}

// String writes the option as mount(8) and Kubernetes mountOptions take it.
func (o MountOption) String() string {
	if o.HasValue {
		return o.Key + "=" + o.Value
	}
	return o.Key
}

// Preset is a recommended option and why.
type Preset struct {
	Option MountOption `json:"option"`
	Reason string      `json:"reason"`
}

// NFSPresets returns the mount options for a shared on-premises NFS volume
// reached over Direct Connect or VPN, each with its reason (nfs(5)):
// NFS 4.1, 1 MiB rsize/wsize, hard with timeo=600 and retrans=2,
// noresvport, and nconnect when n > 1 (Linux ≥ 5.3).
func NFSPresets(nconnect int) []Preset {
	ps := []Preset{
		{MountOption{Key: "nfsvers", Value: "4.1", HasValue: true}, "NFSv4.1: one TCP port (2049), sessions that survive reconnects; no rpcbind or mountd across the WAN"},
		{MountOption{Key: "rsize", Value: "1048576", HasValue: true}, "1 MiB reads: fewer round trips over a link with millisecond latency"},
		{MountOption{Key: "wsize", Value: "1048576", HasValue: true}, "1 MiB writes, for the same reason"},
		{MountOption{Key: "hard"}, "retry forever instead of returning EIO: soft mounts corrupt data that is being written when the link drops"},
		{MountOption{Key: "timeo", Value: "600", HasValue: true}, "60 s before a retransmission (tenths of a second; the TCP default)"},
		{MountOption{Key: "retrans", Value: "2", HasValue: true}, "two retransmissions before a 'server not responding' message"},
		{MountOption{Key: "noresvport"}, "a new source port on reconnect, so a link flap does not wait for the old connection to time out"},
	}
	if nconnect > 1 {
		ps = append(ps, Preset{MountOption{Key: "nconnect", Value: strconv.Itoa(min(nconnect, 16)), HasValue: true}, "several TCP connections to the server, to fill a 10 Gbps+ path (Linux 5.3 and later; at most 16)"})
	}
	return ps
}

// PresetOptions returns the presets as strings for mountOptions.
func PresetOptions(nconnect int) []string {
	var out []string
	for _, p := range NFSPresets(nconnect) {
		out = append(out, p.Option.String())
	}
	return out
}

// ParseMountOptions parses mountOptions entries (each may hold several
// comma-separated options, as mount -o does) and checks their syntax and
// the values of the options it knows: nfsvers/vers, rsize/wsize (1024 to
// 1048576, multiples of 1024), timeo, retrans, nconnect (1 to 16), proto,
// port, actimeo family, sec, lookupcache, local_lock. Unknown options pass
// if they are well formed. Errors name the entry.
func ParseMountOptions(entries []string) ([]MountOption, error) {
	var out []MountOption
	seen := map[string]int{}
	for i, e := range entries {
		if e == "" {
			return nil, fmt.Errorf("storage: mountOptions[%d] is empty", i)
		}
		for _, raw := range strings.Split(e, ",") {
			o, err := parseOption(raw)
			if err != nil {
				return nil, fmt.Errorf("storage: mountOptions[%d] %q: %w", i, e, err)
			}
			key := canonicalKey(o.Key)
			if j, dup := seen[key]; dup {
				return nil, fmt.Errorf("storage: mountOptions[%d] %q: %s is already set by mountOptions[%d]", i, e, o.Key, j)
			}
			seen[key] = i
			out = append(out, o)
		}
	}
	if _, hard := seen["hard"]; hard {
		if _, soft := seen["soft"]; soft {
			return nil, fmt.Errorf("storage: mountOptions set both hard and soft")
		}
	}
	return out, nil
}

// canonicalKey folds the aliases nfs(5) accepts for one setting.
func canonicalKey(k string) string {
	switch k {
	case "vers":
		return "nfsvers"
	case "resvport":
		return "noresvport"
	case "ac":
		return "noac"
	}
	return k
}

func parseOption(raw string) (MountOption, error) {
	if raw == "" {
		return MountOption{}, fmt.Errorf("empty option (stray comma)")
	}
	k, v, hasValue := strings.Cut(raw, "=")
	for _, c := range k {
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '_') {
			return MountOption{}, fmt.Errorf("option name %q: lower-case letters, digits and _ only", k)
		}
	}
	if k == "" {
		return MountOption{}, fmt.Errorf("option %q has no name", raw)
	}
	if hasValue {
		if v == "" {
			return MountOption{}, fmt.Errorf("%s= needs a value", k)
		}
		for _, c := range v {
			if c <= ' ' || c == 0x7f || strings.ContainsRune(`"'\$`+"`", c) {
				return MountOption{}, fmt.Errorf("value of %s holds %q", k, c)
			}
		}
	}
	o := MountOption{Key: k, Value: v, HasValue: hasValue}
	num := func(lo, hi int64) error {
		n, err := strconv.ParseInt(v, 10, 64)
		if !hasValue || err != nil || n < lo || n > hi {
			return fmt.Errorf("%s must be a number from %d to %d, got %q", k, lo, hi, v)
		}
		return nil
	}
	switch k {
	case "nfsvers", "vers":
		switch v {
		case "3", "4", "4.0", "4.1", "4.2":
		default:
			return o, fmt.Errorf("%s must be 3, 4, 4.0, 4.1 or 4.2, got %q", k, v)
		}
	case "rsize", "wsize":
		if err := num(1024, 1048576); err != nil {
			return o, err
		}
		if n, _ := strconv.Atoi(v); n%1024 != 0 {
			return o, fmt.Errorf("%s must be a multiple of 1024, got %s", k, v)
		}
	case "timeo":
		return o, num(1, 6000)
	case "retrans":
		return o, num(0, 100)
	case "nconnect":
		return o, num(1, 16)
	case "port":
		return o, num(0, 65535)
	case "acregmin", "acregmax", "acdirmin", "acdirmax", "actimeo":
		return o, num(0, 86400)
	case "proto", "mountproto":
		switch v {
		case "tcp", "udp", "rdma", "tcp6", "udp6", "rdma6":
		default:
			return o, fmt.Errorf("%s must be tcp, udp or rdma, got %q", k, v)
		}
	case "sec":
		for _, f := range strings.Split(v, ":") {
			switch f {
			case "sys", "krb5", "krb5i", "krb5p", "none":
			default:
				return o, fmt.Errorf("sec flavour %q is not sys, krb5, krb5i, krb5p or none", f)
			}
		}
	case "lookupcache":
		switch v {
		case "all", "none", "pos", "positive":
		default:
			return o, fmt.Errorf("lookupcache must be all, none or pos, got %q", v)
		}
	case "hard", "soft", "softerr", "intr", "nointr", "noresvport", "resvport", "ac", "noac", "nolock", "lock", "noatime", "nodiratime", "relatime", "ro", "rw", "fsc", "nofsc", "cto", "nocto", "sharecache", "nosharecache":
		if hasValue {
			return o, fmt.Errorf("%s takes no value", k)
		}
	}
	return o, nil
}

// Workload says how a volume is used, for the mount-option checks.
type Workload string

// Workloads.
const (
	ReadOnly  Workload = "read-only"
	ReadWrite Workload = "read-write"
)

// Finding codes of CheckMountOptions.
const (
	CodeSoftWrite      advice.Code = "storage/soft-mount-write"
	CodeNFSv3OverWAN   advice.Code = "storage/nfsv3-over-wan"
	CodeUDPTransport   advice.Code = "storage/udp-transport"
	CodeSmallIO        advice.Code = "storage/small-rsize-wsize"
	CodeNconnectKernel advice.Code = "storage/nconnect-kernel"
	CodeNoVersion      advice.Code = "storage/no-nfs-version"
	CodeIntrIgnored    advice.Code = "storage/intr-ignored"
)

// CheckMountOptions reports combinations that are legal but wrong for an
// on-premises volume used across the WAN.
func CheckMountOptions(opts []MountOption, w Workload) []advice.Finding {
	const ref = "https://man7.org/linux/man-pages/man5/nfs.5.html"
	has := map[string]MountOption{}
	for _, o := range opts {
		has[canonicalKey(o.Key)] = o
	}
	var fs []advice.Finding
	add := func(l advice.Level, code advice.Code, msg string) {
		fs = append(fs, advice.Finding{Level: l, Code: code, Field: field.NewPath("mountOptions").String(), Message: msg, Ref: ref})
	}
	if _, soft := has["soft"]; soft && w != ReadOnly {
		add(advice.Warning, CodeSoftWrite, "soft returns EIO to the application after retrans timeouts: a write in flight when the link drops is lost or torn; use hard for anything that writes")
	}
	if _, softerr := has["softerr"]; softerr && w != ReadOnly {
		add(advice.Warning, CodeSoftWrite, "softerr fails writes with ETIMEDOUT when the link drops; use hard for anything that writes")
	}
	v, ok := has["nfsvers"]
	switch {
	case !ok:
		add(advice.Info, CodeNoVersion, "no nfsvers: the client negotiates; pin nfsvers=4.1 so the mount does not fall back to NFSv3 and its extra ports")
	case v.Value == "3":
		add(advice.Warning, CodeNFSv3OverWAN, "NFSv3 needs rpcbind (111) and mountd besides 2049 through the firewall, and NLM locking across the WAN; prefer nfsvers=4.1")
	}
	if p, ok := has["proto"]; ok && strings.HasPrefix(p.Value, "udp") {
		add(advice.Warning, CodeUDPTransport, "proto=udp over a WAN loses whole 1 MiB requests to single dropped fragments, and NFSv4 does not allow it; use tcp")
	}
	for _, k := range []string{"rsize", "wsize"} {
		if o, ok := has[k]; ok {
			if n, _ := strconv.Atoi(o.Value); n < 262144 {
				add(advice.Info, CodeSmallIO, fmt.Sprintf("%s=%s: with millisecond latency small requests cap throughput; 1048576 is the Linux maximum", k, advice.Quote(o.Value)))
			}
		}
	}
	if _, ok := has["nconnect"]; ok {
		add(advice.Info, CodeNconnectKernel, "nconnect needs Linux 5.3 or later on every node that mounts the volume")
	}
	if _, ok := has["intr"]; ok {
		add(advice.Info, CodeIntrIgnored, "intr has been ignored since Linux 2.6.25: a hard mount can be interrupted with SIGKILL anyway")
	}
	return fs
}
