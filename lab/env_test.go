package lab_test

import (
	"bytes"
	"context"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"golang.org/x/sys/unix"

	"github.com/hybridkit/hybridkit/blueprint"
	"github.com/hybridkit/hybridkit/internal/testkit"
	"github.com/hybridkit/hybridkit/netplan"
	"github.com/hybridkit/hybridkit/nodeconfig"
)

// requireRoot skips (or, under HYBRIDKIT_REQUIRE_TOOLS=1, fails) when the
// test cannot create network namespaces.
func requireRoot(t *testing.T) {
	t.Helper()
	if os.Geteuid() == 0 {
		return
	}
	msg := "the lab needs root for network namespaces, nftables and containerd"
	if testkit.RequireTools() {
		t.Fatal(msg)
	}
	t.Skip(msg)
}

// goTool finds a program installed with go install (GOBIN or GOPATH/bin).
func goTool(t *testing.T, name, module string) string {
	t.Helper()
	for _, dir := range []string{os.Getenv("GOBIN"), filepath.Join(goEnv("GOPATH"), "bin")} {
		if dir == "" {
			continue
		}
		p := filepath.Join(dir, name)
		if fi, err := os.Stat(p); err == nil && fi.Mode()&0o111 != 0 {
			return p
		}
	}
	msg := name + " not found: go install " + module
	if testkit.RequireTools() {
		t.Fatal(msg)
	}
	t.Skip(msg)
	return ""
}

func goEnv(key string) string {
	out, err := exec.Command("go", "env", key).Output()
	if err != nil {
		return ""
	}
	return strings.TrimSpace(string(out))
}

// render renders a blueprint through the public API.
func render(t *testing.T, b blueprint.Blueprint) blueprint.Bundle {
	t.Helper()
	bundle, _, err := blueprint.Render(b)
	if err != nil {
		t.Fatal(err)
	}
	return bundle
}

func file(t *testing.T, b blueprint.Bundle, path string) []byte {
	t.Helper()
	f, ok := b.File(path)
	if !ok {
		t.Fatalf("the bundle has no %s", path)
	}
	return f.Content
}

// iraCalico is the second blueprint: IAM Roles Anywhere and Calico.
func iraCalico() blueprint.Blueprint {
	b := blueprint.Reference()
	b.CNI = netplan.CNICalico
	b.Credentials = blueprint.Credentials{
		Provider: nodeconfig.ProviderIAMRolesAnywhere,
		IAMRolesAnywhere: &blueprint.RolesAnywhereCredentials{
			TrustAnchorARN: "arn:aws:rolesanywhere:ap-northeast-2:111122223333:trust-anchor/1b2c3d4e-5f60-4a7b-8c9d-0e1f2a3b4c5d",
			ProfileARN:     "arn:aws:rolesanywhere:ap-northeast-2:111122223333:profile/9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d",
		},
	}
	return b
}

var nsSeq atomic.Int64

// netns creates a network namespace with its loopback up and deletes it
// when the test ends.
func netns(t *testing.T, role string) string {
	t.Helper()
	ip := testkit.Tool(t, "ip", "iproute2")
	name := fmt.Sprintf("hk-%s-%d-%d", role, os.Getpid(), nsSeq.Add(1))
	mustRun(t, ip, "netns", "add", name)
	t.Cleanup(func() { _ = exec.Command(ip, "netns", "del", name).Run() })
	mustRun(t, ip, "-n", name, "link", "set", "lo", "up")
	return name
}

func mustRun(t *testing.T, prog string, args ...string) []byte {
	t.Helper()
	out, err := exec.Command(prog, args...).CombinedOutput()
	if err != nil {
		t.Fatalf("%s %s: %v\n%s", prog, strings.Join(args, " "), err, out)
	}
	return out
}

// inNS runs a command inside a namespace and returns its combined output.
func inNS(t *testing.T, ns string, prog string, args ...string) ([]byte, error) {
	t.Helper()
	ip := testkit.Tool(t, "ip", "iproute2")
	return exec.Command(ip, append([]string{"netns", "exec", ns, prog}, args...)...).CombinedOutput()
}

// daemon starts a long-running program inside a namespace (or, with ns
// "", where the test runs) and kills it (by PID) when the test ends. Its
// output goes to a log file that a failing test prints.
func daemon(t *testing.T, ns, name string, prog string, args ...string) *os.File {
	t.Helper()
	log, err := os.Create(filepath.Join(t.TempDir(), name+".log"))
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(prog, args...)
	if ns != "" {
		ip := testkit.Tool(t, "ip", "iproute2")
		cmd = exec.Command(ip, append([]string{"netns", "exec", ns, prog}, args...)...)
	}
	cmd.Stdout, cmd.Stderr = log, log
	if err := cmd.Start(); err != nil {
		t.Fatalf("starting %s: %v", name, err)
	}
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		_, _ = cmd.Process.Wait()
		if t.Failed() {
			b, _ := os.ReadFile(log.Name())
			t.Logf("%s log:\n%s", name, b)
		}
		log.Close()
	})
	return log
}

// inNamespace runs fn on an OS thread that has entered the namespace; the
// thread is discarded afterwards, so no other goroutine ever runs in it.
// Sockets fn creates stay in the namespace after it returns.
func inNamespace(t *testing.T, ns string, fn func()) {
	t.Helper()
	errc := make(chan error, 1)
	go func() {
		runtime.LockOSThread() // never unlocked: the thread exits with the goroutine
		f, err := os.Open(filepath.Join("/var/run/netns", ns))
		if err != nil {
			errc <- err
			return
		}
		defer f.Close()
		if err := unix.Setns(int(f.Fd()), unix.CLONE_NEWNET); err != nil {
			errc <- err
			return
		}
		fn()
		errc <- nil
	}()
	if err := <-errc; err != nil {
		t.Fatalf("entering %s: %v", ns, err)
	}
}

// dialInNS dials from inside ns: the socket is created on a thread that
// entered the namespace, and keeps living there.
func dialInNS(ns, network, addr string, timeout time.Duration) (net.Conn, error) {
	type result struct {
		c   net.Conn
		err error
	}
	ch := make(chan result, 1)
	go func() {
		runtime.LockOSThread() // never unlocked: the thread exits with the goroutine
		f, err := os.Open(filepath.Join("/var/run/netns", ns))
		if err != nil {
			ch <- result{nil, err}
			return
		}
		defer f.Close()
		if err := unix.Setns(int(f.Fd()), unix.CLONE_NEWNET); err != nil {
			ch <- result{nil, err}
			return
		}
		c, err := net.DialTimeout(network, addr, timeout)
		ch <- result{c, err}
	}()
	r := <-ch
	return r.c, r.err
}

// lookup resolves name (A records) through the DNS server at server
// (ip:port) from inside ns, with a short timeout. The resolver's own
// goroutines dial through dialInNS.
func lookup(t *testing.T, ns, server, name string) ([]string, error) {
	t.Helper()
	r := &net.Resolver{PreferGo: true, Dial: func(ctx context.Context, network, _ string) (net.Conn, error) {
		return dialInNS(ns, "udp", server, 2*time.Second)
	}}
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
	defer cancel()
	ips, err := r.LookupIP(ctx, "ip4", name)
	var out []string
	for _, ip := range ips {
		out = append(out, ip.String())
	}
	return out, err
}

// waitPort waits until something accepts TCP connections at addr in ns.
func waitPort(t *testing.T, ns, addr string) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for time.Now().Before(deadline) {
		if c, err := dialInNS(ns, "tcp", addr, 200*time.Millisecond); err == nil {
			c.Close()
			return
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Fatalf("nothing listens on %s in %s", addr, ns)
}

func itoa(n int) string { return strconv.Itoa(n) }

func contains(b []byte, s string) bool { return bytes.Contains(b, []byte(s)) }
