package poc_test

import (
	"testing"
	"time"

	"github.com/hybridkit/hybridkit/poc"
)

func TestParseDD(t *testing.T) {
	tests := []struct {
		name string
		out  string
		want []poc.Transfer
		err  bool
	}{
		{"GNU coreutils", "1024+0 records in\n1024+0 records out\n1073741824 bytes (1.1 GB, 1.0 GiB) copied, 0.902975 s, 1.2 GB/s\n",
			[]poc.Transfer{{Bytes: 1 << 30, Duration: 902975 * time.Microsecond}}, false},
		{"BusyBox", "1024+0 records in\n1024+0 records out\n1073741824 bytes (1.0GB) copied, 2.500000 seconds, 409.6MB/s\n",
			[]poc.Transfer{{Bytes: 1 << 30, Duration: 2500 * time.Millisecond}}, false},
		{"two runs", "1 bytes copied, 1 s, 1 B/s\n2 bytes copied, 2 s, 1 B/s\n", []poc.Transfer{{1, time.Second}, {2, 2 * time.Second}}, false},
		{"error only", "dd: failed to open '/mnt/poc/x': Permission denied\n", nil, true},
		{"empty", "", nil, true},
		{"bad number", "x bytes (1 B) copied, 1 s, 1 B/s\n", nil, true},
		{"negative time", "1 bytes copied, -1 s, 1 B/s\n", nil, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := poc.ParseDD([]byte(tt.out))
			if (err != nil) != tt.err {
				t.Fatalf("err = %v, want error %v", err, tt.err)
			}
			if len(got) != len(tt.want) {
				t.Fatalf("ParseDD = %v, want %v", got, tt.want)
			}
			for i := range got {
				if got[i] != tt.want[i] {
					t.Errorf("run %d = %+v, want %+v", i, got[i], tt.want[i])
				}
			}
		})
	}
	if r := (poc.Transfer{Bytes: 1 << 30, Duration: time.Second}); r.BytesPerSecond() != 1<<30 || r.String() != "1073741824 bytes in 1s (1073.7 MB/s)" {
		t.Errorf("Transfer = %d, %s", r.BytesPerSecond(), r)
	}
	if (poc.Transfer{Bytes: 5}).BytesPerSecond() != 0 {
		t.Error("a run of no time has a rate")
	}
}

// FuzzParseDD: no panic, and what parses has no negative run.
func FuzzParseDD(f *testing.F) {
	f.Add([]byte("1073741824 bytes (1.1 GB, 1.0 GiB) copied, 0.902975 s, 1.2 GB/s\n"))
	f.Add([]byte("1 bytes (1.0GB) copied, 2.5 seconds, 1MB/s\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		runs, err := poc.ParseDD(data)
		if err != nil {
			return
		}
		for _, r := range runs {
			if r.Bytes < 0 || r.Duration < 0 {
				t.Fatalf("negative run %+v", r)
			}
		}
	})
}
