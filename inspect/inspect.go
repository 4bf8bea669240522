package inspect

import (
	"errors"
	"fmt"
	"net/netip"
	"strconv"
	"strings"

	"github.com/hybridkit/hybridkit/advice"
	ivalidation "github.com/hybridkit/hybridkit/internal/validation"
	"github.com/hybridkit/hybridkit/netpath"
	"github.com/hybridkit/hybridkit/nodeconfig"
)

// Codes of inspect's own findings.
const (
	// CodeUnknownKind: the content matches no kind inspect reads.
	CodeUnknownKind advice.Code = "inspect/unknown-kind"
	// CodeParseError: the file is of a known kind but does not parse.
	CodeParseError advice.Code = "inspect/parse-error"
	// CodeInvalid: the file parses, but its consumer refuses a value.
	CodeInvalid advice.Code = "inspect/invalid"
)

// MaxFileBytes is the largest input File reads: 16 MiB, far more than any
// config or command output it knows, so a wrong file cannot exhaust
// memory.
const MaxFileBytes = 16 << 20

// Context is what the files do not say themselves, for the checks that
// compare them with the plan: the VPC, the cluster's networks and
// version, the site. The zero Context has none of it, and those checks
// are skipped.
type Context struct {
	ClusterName        string         `json:"clusterName,omitempty"`
	Region             string         `json:"region,omitempty"`
	KubernetesVersion  string         `json:"kubernetesVersion,omitempty"`
	VPCID              string         `json:"vpcId,omitempty"`
	VPCCIDRs           []netip.Prefix `json:"vpcCidrs,omitempty"`
	RemoteNodeNetworks []netip.Prefix `json:"remoteNodeNetworks,omitempty"`
	RemotePodNetworks  []netip.Prefix `json:"remotePodNetworks,omitempty"`
	ServiceCIDR        netip.Prefix   `json:"serviceCidr,omitzero"`
	SiteNetworks       []netip.Prefix `json:"siteNetworks,omitempty"`
	// Nodes are the label sets of the cluster's kinds of node, cloud and
	// hybrid, for the placement checks (a selector no node matches). The
	// NodeConfigs inspected alongside add theirs. Nil skips the check.
	Nodes []map[string]string `json:"nodes,omitempty"`
	// Thresholds grade ping and iperf3 runs; nil is the adoption guide's
	// baseline (netpath.GuideThresholds).
	Thresholds *netpath.Thresholds `json:"thresholds,omitempty"`
}

// Input is one file for Files.
type Input struct {
	Name string
	Data []byte
}

// File recognises the kind of one file by its content (name is a hint:
// it breaks ties and names the file in the findings), parses it strictly
// and returns the findings of its owner's checks. The error is for input
// inspect will not read (larger than MaxFileBytes); anything it cannot
// recognise or parse is a finding.
func File(name string, data []byte) (Kind, []advice.Finding, error) {
	rs, err := Files(Context{}, Input{name, data})
	if err != nil {
		return KindUnknown, nil, err
	}
	return rs[0].Kind, rs[0].Findings, nil
}

// Result is what Files found in one file.
type Result struct {
	Name     string           `json:"file"`
	Kind     Kind             `json:"kind"`
	Findings []advice.Finding `json:"findings"`
}

// ErrTooLarge is returned for an input over MaxFileBytes.
var ErrTooLarge = errors.New("inspect: input larger than MaxFileBytes")

// Files inspects each input as File does, with ctx for the checks against
// the plan, and adds the checks across files: Resolver rules with their
// associations, and a bundle.json with the files it lists. Results come
// in input order, each with its findings sorted.
func Files(ctx Context, inputs ...Input) ([]Result, error) {
	out := make([]Result, len(inputs))
	docs := make([]*document, len(inputs))
	var peers []map[string]string
	for i, in := range inputs {
		if len(in.Data) > MaxFileBytes {
			return nil, fmt.Errorf("%w: %s", ErrTooLarge, advice.Quote(in.Name))
		}
		docs[i] = &document{name: in.Name, data: in.Data, kind: detect(in.Name, in.Data), ctx: ctx}
		out[i] = Result{Name: in.Name, Kind: docs[i].kind}
		if docs[i].kind == KindNodeConfig {
			if c, err := nodeconfig.Parse(in.Data); err == nil {
				peers = append(peers, hybridNodeLabels(c))
			}
		}
	}
	for _, d := range docs {
		d.peerNodes = peers
		d.check()
	}
	crossCheck(ctx, docs)
	for i, d := range docs {
		out[i].Kind, out[i].Findings = d.kind, advice.Sort(d.findings)
	}
	return out, nil
}

// document is one input being inspected.
type document struct {
	name     string
	data     []byte
	kind     Kind
	ctx      Context
	findings []advice.Finding
	lines    lineIndex // field paths to lines, for YAML and JSON documents
	parsed   any       // the kind's parsed form, for the cross-file checks
	objects  []object  // a manifest's decoded objects
	// peerNodes are the label sets of the hybrid nodes of the NodeConfigs
	// inspected alongside.
	peerNodes []map[string]string
}

// add records findings about the document at their fields' lines.
func (d *document) add(fs ...advice.Finding) {
	for _, f := range fs {
		f.File = d.name
		if f.Line == 0 {
			f.Line = d.lines.line(f.Field)
		}
		d.findings = append(d.findings, f)
	}
}

// addAt records findings of a value found at prefix in the document (an
// object inside a stream, "items[2]"; a drop-in inside a NodeConfig),
// at line when their own field has none.
func (d *document) addAt(prefix string, line int, fs ...advice.Finding) {
	for _, f := range advice.WithPrefix(prefix, fs) {
		f.File = d.name
		if f.Line = d.lines.line(f.Field); f.Line == 0 {
			f.Line = line
		}
		d.findings = append(d.findings, f)
	}
}

// invalid records the errors of a Validate (or of a parser that reports
// field errors) as error findings with code.
func (d *document) invalid(code advice.Code, prefix string, err error, ref string) {
	if err == nil {
		return
	}
	line := 0
	if n, ok := lineOf(err.Error()); ok {
		line = n
	}
	errs := ivalidation.FieldErrors(err)
	if len(errs) == 0 {
		d.addAt(prefix, line, advice.Finding{Level: advice.Error, Code: code, Message: err.Error(), Ref: ref})
		return
	}
	for _, e := range errs {
		d.addAt(prefix, line, advice.Finding{Level: advice.Error, Code: code, Field: e.Field, Message: e.ErrorBody(), Ref: ref})
	}
}

// parseError records a file of a known kind that does not parse, with the
// parser's message (which names the line when it knows it).
func (d *document) parseError(err error, ref string) { d.invalid(CodeParseError, "", err, ref) }

// lineOf finds "line N" in a parser's message.
func lineOf(msg string) (int, bool) {
	i := strings.Index(msg, "line ")
	if i < 0 {
		return 0, false
	}
	j := i + len("line ")
	k := j
	for k < len(msg) && msg[k] >= '0' && msg[k] <= '9' {
		k++
	}
	n, err := strconv.Atoi(msg[j:k])
	return n, err == nil
}

// hybridNodeLabels is the label set of a node that joins with c: its
// NodeConfig's labels and the compute type nodeadm sets.
func hybridNodeLabels(c nodeconfig.NodeConfig) map[string]string {
	out := map[string]string{nodeconfig.LabelComputeType: nodeconfig.ComputeTypeHybrid}
	for k, v := range c.Spec.Kubelet.NodeLabels {
		out[k] = v
	}
	return out
}
