package testkit

import (
	"strings"
	"testing"
)

// CheckBIND runs named-checkconf on a named.conf whose options block
// holds options (statements, may be nil) and that includes zones.
func CheckBIND(t testing.TB, options, zones []byte) {
	t.Helper()
	tool := Tool(t, "named-checkconf", "bind9-utils")
	dir := t.TempDir()
	zonesPath := WriteFileIn(t, dir, "zones.conf", zones)
	conf := "options {\n\tdirectory \"" + dir + "\";\n\tdnssec-validation auto;\n" + string(options) + "};\ninclude \"" + zonesPath + "\";\n"
	res := Run(t, dir, tool, WriteFileIn(t, dir, "named.conf", []byte(conf)))
	if res.Err != nil || len(res.Stdout)+len(res.Stderr) > 0 {
		t.Errorf("named-checkconf: %v\n%s%s\n%s", res.Err, res.Stdout, res.Stderr, conf)
	}
}

// CheckUnbound runs unbound-checkconf on a config that includes conf.
func CheckUnbound(t testing.TB, conf []byte) {
	t.Helper()
	tool := Tool(t, "unbound-checkconf", "unbound")
	dir := t.TempDir()
	inc := WriteFileIn(t, dir, "include.conf", conf)
	main := "server:\n    directory: \"" + dir + "\"\n    chroot: \"\"\n    username: \"\"\n    pidfile: \"\"\ninclude: \"" + inc + "\"\n"
	res := Run(t, dir, tool, WriteFileIn(t, dir, "unbound.conf", []byte(main)))
	if res.Err != nil || !strings.Contains(string(res.Stdout), "no errors") {
		t.Errorf("unbound-checkconf: %v\n%s%s", res.Err, res.Stdout, res.Stderr)
	}
}

// CheckDnsmasq runs dnsmasq --test on conf.
func CheckDnsmasq(t testing.TB, conf []byte) {
	t.Helper()
	tool := Tool(t, "dnsmasq", "dnsmasq-base")
	res := Run(t, "", tool, "--test", "--conf-file="+WriteFile(t, "dnsmasq.conf", conf))
	if res.Err != nil || !strings.Contains(string(res.Stderr)+string(res.Stdout), "syntax check OK") {
		t.Errorf("dnsmasq --test: %v\n%s%s", res.Err, res.Stdout, res.Stderr)
	}
}

// CheckNFT runs nft -c -f on a ruleset.
func CheckNFT(t testing.TB, ruleset []byte) {
	t.Helper()
	tool := Tool(t, "nft", "nftables")
	if res := Run(t, "", tool, "-c", "-f", WriteFile(t, "rules.nft", ruleset)); res.Err != nil {
		t.Errorf("nft -c: %v\n%s", res.Err, res.Stderr)
	}
}

// CheckIPTables runs iptables-restore --test on rules.
func CheckIPTables(t testing.TB, rules []byte) {
	t.Helper()
	tool := Tool(t, "iptables-restore", "iptables")
	if res := Run(t, "", tool, "--test", WriteFile(t, "rules.iptables", rules)); res.Err != nil {
		t.Errorf("iptables-restore --test: %v\n%s", res.Err, res.Stderr)
	}
}

// CheckBash runs bash -n and shellcheck (every severity) on a script.
// SC2016 ("expressions don't expand in single quotes") is excluded: the
// shell writer single-quotes literals on purpose, IAM policy variables
// such as ${aws:PrincipalTag/x509Subject/CN} among them.
func CheckBash(t testing.TB, script []byte) {
	t.Helper()
	tool := Tool(t, "bash", "bash")
	path := WriteFile(t, "script.sh", script)
	if res := Run(t, "", tool, "-n", path); res.Err != nil {
		t.Errorf("bash -n: %v\n%s", res.Err, res.Stderr)
	}
	sc := Tool(t, "shellcheck", "shellcheck")
	if res := Run(t, "", sc, "--shell=bash", "--format=gcc", "--exclude=SC2016", path); res.Err != nil {
		t.Errorf("shellcheck: %v\n%s%s", res.Err, res.Stdout, res.Stderr)
	}
}
