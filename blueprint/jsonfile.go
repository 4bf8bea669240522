package blueprint

import (
	"bytes"
	"encoding/json"
)

// jsonFile encodes v as an indented JSON file with a final newline:
// json.MarshalIndent's bytes, written into one buffer sized for them
// rather than grown as the indentation is added.
func jsonFile(v any) ([]byte, error) {
	compact, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	var b bytes.Buffer
	b.Grow(2 * len(compact))
	if err := json.Indent(&b, compact, "", "  "); err != nil {
		return nil, err
	}
	b.WriteByte('\n')
	return b.Bytes(), nil
}
