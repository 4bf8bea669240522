// Package lab proves that the bundle hybridkit renders works with the real
// programs, not only that it parses: its tests start BIND, Unbound,
// dnsmasq, CoreDNS and containerd (1.6 and 2.4), load the rendered
// firewalls into network namespaces, push packets through them, and run
// every manifest through kube-apiserver's own validation.
//
// It is a separate module so that its heavy test-only dependencies
// (k8s.io/kubernetes) never reach the library's users. The tests need
// root (network namespaces, nftables) and the programs .ci/run installs;
// they skip without them, and fail instead under HYBRIDKIT_REQUIRE_TOOLS=1.
package lab
