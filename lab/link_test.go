package lab_test

import (
	"math/rand/v2"
	"os"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"
	"unsafe"

	"golang.org/x/sys/unix"

	"github.com/hybridkit/hybridkit/blueprint"
	"github.com/hybridkit/hybridkit/internal/testkit"
	"github.com/hybridkit/hybridkit/netpath"
	"github.com/hybridkit/hybridkit/poc"
)

// linkShape is what the emulated link does to packets: a round-trip
// delay (half each way), a random jitter up to ±jitter each way, every
// dropEvery-th ICMP echo request lost, and a rate limit (tbf) in bits
// per second on the cloud side's egress.
type linkShape struct {
	delay, jitter time.Duration
	dropEvery     int
	rateBits      int64
}

// emulatedLink joins two network namespaces through a TUN device in each
// and a goroutine per direction that delays, jitters and drops packets:
// the lab's kernel has no sch_netem, so the link is shaped in user space,
// while ping, iperf3 and the TCP stack are the kernel's and the real
// programs'. The cloud side is 10.77.0.1, the hybrid side 10.77.0.2.
func emulatedLink(t *testing.T, shape linkShape) (cloud, hybrid string) {
	t.Helper()
	requireRoot(t)
	tc := testkit.Tool(t, "tc", "iproute2")
	cloud, hybrid = netns(t, "cloud"), netns(t, "hybrid")
	a := openTUN(t, cloud, "hkt0", "10.77.0.1", "10.77.0.2")
	b := openTUN(t, hybrid, "hkt0", "10.77.0.2", "10.77.0.1")
	if shape.rateBits > 0 {
		mustRun(t, tc, "-n", cloud, "qdisc", "add", "dev", "hkt0", "root", "tbf", "rate", itoa(int(shape.rateBits/1000))+"kbit", "burst", "256kb", "latency", "100ms")
	}
	var wg sync.WaitGroup
	wg.Add(2)
	go func() { defer wg.Done(); forward(a, b, shape, true) }()
	go func() { defer wg.Done(); forward(b, a, shape, false) }()
	t.Cleanup(func() {
		a.Close()
		b.Close()
		wg.Wait()
	})
	return cloud, hybrid
}

// openTUN creates a TUN device in ns with a point-to-point address and
// returns it open.
func openTUN(t *testing.T, ns, name, local, peer string) *os.File {
	t.Helper()
	ip := testkit.Tool(t, "ip", "iproute2")
	var f *os.File
	var err error
	inNamespace(t, ns, func() {
		var fd int
		fd, err = unix.Open("/dev/net/tun", unix.O_RDWR|unix.O_CLOEXEC, 0)
		if err != nil {
			return
		}
		var req [unix.IFNAMSIZ + 64]byte
		copy(req[:], name)
		*(*uint16)(unsafe.Pointer(&req[unix.IFNAMSIZ])) = unix.IFF_TUN | unix.IFF_NO_PI
		if _, _, e := unix.Syscall(unix.SYS_IOCTL, uintptr(fd), uintptr(unix.TUNSETIFF), uintptr(unsafe.Pointer(&req[0]))); e != 0 {
			err = e
			unix.Close(fd)
			return
		}
		if err = unix.SetNonblock(fd, true); err != nil {
			unix.Close(fd)
			return
		}
		f = os.NewFile(uintptr(fd), name)
	})
	if err != nil {
		t.Fatalf("TUN device in %s: %v", ns, err)
	}
	mustRun(t, ip, "-n", ns, "addr", "add", local, "peer", peer, "dev", name)
	mustRun(t, ip, "-n", ns, "link", "set", name, "up", "mtu", "9000")
	return f
}

// forward copies packets from one TUN device to the other, each after
// half the round-trip delay and its jitter; requests counts ICMP echo
// requests for dropEvery.
func forward(from, to *os.File, s linkShape, requests bool) {
	rng := rand.New(rand.NewPCG(1, 2))
	n := 0
	buf := make([]byte, 65536)
	for {
		k, err := from.Read(buf)
		if err != nil {
			return
		}
		pkt := append([]byte(nil), buf[:k]...)
		if requests && s.dropEvery > 0 && isEchoRequest(pkt) {
			n++
			if n%s.dropEvery == 0 {
				continue
			}
		}
		d := s.delay / 2
		if s.jitter > 0 {
			d += time.Duration(rng.Int64N(int64(2*s.jitter))) - s.jitter
		}
		time.AfterFunc(max(d, 0), func() { _, _ = to.Write(pkt) })
	}
}

// isEchoRequest reports an IPv4 ICMP echo request.
func isEchoRequest(p []byte) bool {
	if len(p) < 20 || p[0]>>4 != 4 || p[9] != 1 {
		return false
	}
	ihl := int(p[0]&0x0f) * 4
	return len(p) > ihl && p[ihl] == 8
}

// renderedLinkCommand returns the argument vector of one of the bundle's
// PoC link checks (what `kubectl run … --` runs in the pod on the cloud
// node), with the hybrid node's address for ${NODE_IP}.
func renderedLinkCommand(t *testing.T, script []byte, program, target string) []string {
	t.Helper()
	re := regexp.MustCompile(`-- (` + program + ` [^"\n]*)"\$\{NODE_IP\}"`)
	m := re.FindSubmatch(script)
	if m == nil {
		t.Fatalf("verify/poc.sh has no %s check against ${NODE_IP}", program)
	}
	return append(strings.Fields(string(m[1])), target)
}

// shorten replaces the value after flag, to keep the lab quick.
func shorten(args []string, flag, value string) []string {
	out := append([]string(nil), args...)
	for i := 0; i+1 < len(out); i++ {
		if out[i] == flag {
			out[i+1] = value
		}
	}
	return out
}

// TestPoCLinkBands runs the rendered PoC link checks across an emulated
// link and grades them with package poc: 1 ms grades good, 6 ms warning,
// 12 ms critical, ±10 ms of jitter each way critical jitter, 0.05% loss a
// warning; iperf3 against a server on the hybrid side, rate-limited,
// grades by the link's capacity. The ping runs 4,000 echoes 2 ms apart
// instead of the rendered 10,000 at 10 ms, which still resolves 0.05% (two
// lost).
//
// The link is shaped by goroutines in user space, so the host adds to
// every measurement: a forwarder stalled on a busy two-CPU runner adds
// tens of milliseconds to a few echoes, which ping's mdev reports as
// jitter (a CI run measured 2.05 ms mdev, max 34 ms, on a quiet 2 ms link
// while iperf3 saturated another emulated link). Hence: the delays sit
// 4 ms inside their bands; the ping cases, which are light, run side by
// side, and the iperf3 cases, which are not, after them, one at a time,
// with the rest of the lab waiting; and since the host can only make a
// measurement worse, a ping case that grades worse than it should is run
// again, at most twice, while one that grades better fails at once.
func TestPoCLinkBands(t *testing.T) {
	bundle := render(t, blueprint.Reference())
	script := file(t, bundle, "verify/poc.sh")
	pingArgs := renderedLinkCommand(t, script, "ping", "10.77.0.2")
	if got := strings.Join(pingArgs, " "); got != "ping -q -c 10000 -i 0.01 10.77.0.2" {
		t.Fatalf("the rendered link ping is %q", got)
	}
	pingArgs = shorten(shorten(pingArgs, "-c", "4000"), "-i", "0.002")
	iperfArgs := shorten(renderedLinkCommand(t, script, "iperf3", "10.77.0.2"), "-t", "3")
	pingBin := testkit.Tool(t, "ping", "iputils-ping")
	iperf3 := testkit.Tool(t, "iperf3", "iperf3")
	// A 200 Mbps link: good above 200 Mbps, critical below 100.
	th := netpath.LinkThresholds(200_000_000)
	grade := func(results map[string][]byte) map[string]string {
		r := poc.Grade(poc.Plan{Thresholds: th}, results)
		got := map[string]string{}
		for _, c := range r.Items[0].Checks {
			if c.Grade != "" {
				got[c.Name] = c.Grade + " (" + c.Measured + ")"
			}
		}
		return got
	}
	type linkCase struct {
		name  string
		shape linkShape
		want  map[string]string // metric: band
	}
	t.Run("ping", func(t *testing.T) {
		for _, tc := range []linkCase{
			{"1 ms", linkShape{delay: 1 * time.Millisecond}, map[string]string{"latency": "good", "jitter": "good", "loss": "good"}},
			{"6 ms", linkShape{delay: 6 * time.Millisecond}, map[string]string{"latency": "warning", "jitter": "good", "loss": "good"}},
			{"12 ms", linkShape{delay: 12 * time.Millisecond}, map[string]string{"latency": "critical", "jitter": "good", "loss": "good"}},
			{"jitter", linkShape{delay: 20 * time.Millisecond, jitter: 10 * time.Millisecond}, map[string]string{"latency": "critical", "jitter": "critical", "loss": "good"}},
			{"0.05% loss", linkShape{delay: 1 * time.Millisecond, dropEvery: 2000}, map[string]string{"latency": "good", "loss": "warning"}},
		} {
			t.Run(tc.name, func(t *testing.T) {
				t.Parallel()
				cloud, _ := emulatedLink(t, tc.shape)
				for attempt := 1; ; attempt++ {
					out, err := inNS(t, cloud, pingBin, pingArgs[1:]...)
					if err != nil && !strings.Contains(string(out), "packet loss") {
						t.Fatalf("%v: %v\n%s", pingArgs, err, out)
					}
					got := grade(map[string][]byte{poc.FileLinkPing: out})
					t.Logf("try %d: %s\ngraded: %v", attempt, lastLines(out, 2), got)
					worse, better := compareBands(got, tc.want)
					if better != "" {
						t.Fatalf("%s, better than the emulated link allows (want %v)", better, tc.want)
					}
					if worse == "" {
						return
					}
					if attempt == 3 {
						t.Fatalf("%s in three tries (want %v)", worse, tc.want)
					}
					t.Logf("%s: the host may have stalled the relay; once more", worse)
				}
			})
		}
	})
	for _, tc := range []linkCase{
		{"full rate", linkShape{delay: 2 * time.Millisecond, rateBits: 400_000_000}, map[string]string{"bandwidth": "good"}},
		{"a third of the rate", linkShape{delay: 2 * time.Millisecond, rateBits: 60_000_000}, map[string]string{"bandwidth": "critical"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cloud, hybrid := emulatedLink(t, tc.shape)
			daemon(t, hybrid, "iperf3-server", iperf3, "-s", "-B", "10.77.0.2")
			waitPort(t, hybrid, "10.77.0.2:5201")
			out, err := inNS(t, cloud, iperf3, iperfArgs[1:]...)
			if err != nil {
				t.Fatalf("%v: %v\n%s", iperfArgs, err, out)
			}
			got := grade(map[string][]byte{poc.FileLinkIperf3: out})
			if worse, better := compareBands(got, tc.want); worse != "" || better != "" {
				t.Errorf("%s%s (want %v)", worse, better, tc.want)
			}
			t.Logf("graded: %v", got)
		})
	}
}

// bandRank orders the grades from best to worst.
var bandRank = map[string]int{"good": 0, "warning": 1, "critical": 2}

// compareBands names the first metric graded worse than wanted and the
// first graded better ("" when none), in a stable order.
func compareBands(got, want map[string]string) (worse, better string) {
	for _, metric := range []string{"latency", "jitter", "loss", "bandwidth"} {
		band, ok := want[metric]
		if !ok {
			continue
		}
		g, _, _ := strings.Cut(got[metric], " ")
		rank, known := bandRank[g]
		switch {
		case !known:
			if worse == "" {
				worse = metric + ": not graded (" + got[metric] + ")"
			}
		case rank > bandRank[band] && worse == "":
			worse = metric + ": " + got[metric]
		case rank < bandRank[band] && better == "":
			better = metric + ": " + got[metric]
		}
	}
	return worse, better
}

func lastLines(b []byte, n int) string {
	lines := strings.Split(strings.TrimSpace(string(b)), "\n")
	return strings.Join(lines[max(0, len(lines)-n):], "\n")
}
