package poc

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Transfer is one dd run: bytes copied in how long.
type Transfer struct {
	Bytes    int64
	Duration time.Duration
}

// BytesPerSecond is the run's throughput; 0 for a run of no time.
func (t Transfer) BytesPerSecond() int64 {
	if t.Duration <= 0 {
		return 0
	}
	return int64(float64(t.Bytes) / t.Duration.Seconds())
}

// String is "1073741824 bytes in 1.234s (870.1 MB/s)".
func (t Transfer) String() string {
	return fmt.Sprintf("%d bytes in %s (%s)", t.Bytes, t.Duration, formatRate(t.BytesPerSecond()))
}

func formatRate(bps int64) string {
	return strconv.FormatFloat(float64(bps)/1e6, 'f', 1, 64) + " MB/s"
}

// ParseDD reads the summary lines of dd runs, in order: GNU coreutils'
// "N bytes (…) copied, S s, R" and BusyBox's "N bytes (…) copied, S
// seconds, R" (print_xfer_stats in
// https://github.com/coreutils/coreutils/blob/v9.1/src/dd.c). Other
// lines ("records in", errors) are skipped; output without a summary line
// is an error.
func ParseDD(out []byte) ([]Transfer, error) {
	if len(out) > maxOutput {
		return nil, fmt.Errorf("poc: dd output is larger than %d bytes", maxOutput)
	}
	var runs []Transfer
	sc := bufio.NewScanner(bytes.NewReader(out))
	sc.Buffer(make([]byte, 0, 4096), maxOutput)
	for sc.Scan() {
		line := sc.Text()
		n, rest, ok := strings.Cut(line, " bytes ")
		if !ok {
			continue
		}
		_, rest, ok = strings.Cut(rest, "copied, ")
		if !ok {
			continue
		}
		secs, _, ok := strings.Cut(rest, " s")
		if !ok {
			continue
		}
		b, err1 := strconv.ParseInt(strings.TrimSpace(n), 10, 64)
		s, err2 := strconv.ParseFloat(secs, 64)
		if err1 != nil || err2 != nil || b < 0 || s < 0 || s > 1e9 {
			return nil, fmt.Errorf("poc: dd summary %q does not parse", printable(line))
		}
		runs = append(runs, Transfer{Bytes: b, Duration: time.Duration(s * float64(time.Second))})
	}
	if len(runs) == 0 {
		return nil, errors.New("poc: no dd summary line (\"… bytes … copied, … s, …\")")
	}
	return runs, nil
}
