package firewall

import (
	"bytes"
	"encoding/csv"
	"strconv"
	"strings"

	"github.com/hybridkit/hybridkit/internal/markdown"
)

func tableRow(r Rule) []string {
	ports := r.Ports.String()
	if r.Protocol == ProtoICMP && r.ICMPType != nil {
		ports = "type " + strconv.Itoa(int(*r.ICMPType))
	} else if !r.Protocol.HasPorts() {
		ports = "-"
	}
	req := "optional"
	if r.Required {
		req = "required"
	}
	return []string{string(r.Direction), strings.ToUpper(r.Protocol.String()), ports, r.From.String(), r.To.String(), r.Purpose, req, r.Ref}
}

var tableHeader = []string{"Direction", "Protocol", "Ports", "From", "To", "Purpose", "Required", "Source"}

// RenderMarkdown renders the rules as a Markdown table, one row per rule in
// the set's order. Cell text is escaped ('|' and line breaks).
func RenderMarkdown(rules RuleSet) []byte {
	t := markdown.Table{Header: tableHeader}
	for _, r := range rules {
		t.Rows = append(t.Rows, tableRow(r))
	}
	return t.Bytes()
}

// RenderCSV renders the rules as CSV (RFC 4180) with a header line.
func RenderCSV(rules RuleSet) ([]byte, error) {
	var b bytes.Buffer
	w := csv.NewWriter(&b)
	if err := w.Write(tableHeader); err != nil {
		return nil, err
	}
	for _, r := range rules {
		if err := w.Write(tableRow(r)); err != nil {
			return nil, err
		}
	}
	w.Flush()
	return b.Bytes(), w.Error()
}
