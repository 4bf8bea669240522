// Package netpath is the network path between a hybrid node and the VPC:
// its hops and their MTUs, and the measured link.
//
// Path computes the path MTU from its hops (a Transit Gateway caps it at
// 8500, so the proving ping payload is 8472, not the 8972 of a 9000-byte
// path), the pod MTU under the CNI's encapsulation, and the command that
// proves it; Lint compares the nodes' own MTU with it.
//
//	p := netpath.Path{Hops: []netpath.Hop{{Kind: netpath.HopOnPrem, MTU: 9000}, {Kind: netpath.HopDXTransitVIF}, {Kind: netpath.HopTransitGateway}, {Kind: netpath.HopVPC}}, Encapsulation: netpath.EncapVXLAN}
//	mtu, _ := p.MTU() // 8500
//
// Thresholds grades a Measurement — ping and iperf3 output read by
// ParsePing and ParseIperf3 — in the adoption guide's bands
// (GuideThresholds) or with bandwidth scaled to the link (LinkThresholds);
// MeasureCommands writes the kubectl commands that take one.
package netpath
