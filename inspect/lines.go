package inspect

import (
	"strconv"
	"strings"

	yaml "go.yaml.in/yaml/v3"
)

// lineIndex maps field paths of a YAML (or JSON) document to the lines
// they start on. A mapping key is indexed both as a field ("a.b") and as
// a map key ("a[b]"), since only the model knows which it is.
type lineIndex map[string]int

// indexYAML indexes every node of a document whose paths start at base.
func indexYAML(data []byte, base string) lineIndex {
	var root yaml.Node
	if yaml.Unmarshal(data, &root) != nil || len(root.Content) == 0 {
		return nil
	}
	x := lineIndex{}
	x.walk(root.Content[0], base)
	return x
}

func (x lineIndex) walk(n *yaml.Node, p string) {
	if n == nil {
		return
	}
	if _, seen := x[p]; !seen {
		x[p] = n.Line
	}
	switch n.Kind {
	case yaml.MappingNode:
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, v := n.Content[i], n.Content[i+1]
			child := k.Value
			if p != "" {
				child = p + "." + k.Value
			}
			x[p+"["+k.Value+"]"] = k.Line
			x[child] = k.Line
			x.walk(v, child)
			x.walkAs(v, p+"["+k.Value+"]")
		}
	case yaml.SequenceNode:
		for i, c := range n.Content {
			x.walk(c, p+"["+strconv.Itoa(i)+"]")
		}
	}
}

// walkAs indexes n's children under an alternative path without
// overwriting what is known.
func (x lineIndex) walkAs(n *yaml.Node, p string) {
	if n.Kind == yaml.MappingNode || n.Kind == yaml.SequenceNode {
		sub := lineIndex{}
		sub.walk(n, p)
		for k, v := range sub {
			if _, ok := x[k]; !ok {
				x[k] = v
			}
		}
	}
}

// line returns the line of path, or of its nearest indexed parent, or 0.
func (x lineIndex) line(path string) int {
	for path != "" {
		if l, ok := x[path]; ok {
			return l
		}
		i := strings.LastIndexAny(path, ".[")
		if i <= 0 {
			break
		}
		path = path[:i]
	}
	return 0
}
