package poc_test

import (
	"fmt"

	"github.com/hybridkit/hybridkit/poc"
)

// ExampleGrade grades a results folder that holds only the link's ping:
// 7 ms is in the baseline's warning band and passes; the checks that did
// not run fail.
func ExampleGrade() {
	results := map[string][]byte{
		poc.FileLinkPing: []byte("--- 192.168.10.11 ping statistics ---\n" +
			"10000 packets transmitted, 10000 received, 0% packet loss, time 100913ms\n" +
			"rtt min/avg/max/mdev = 6.802/7.013/9.411/0.122 ms\n"),
		poc.FileLinkPing + poc.ExitSuffix: []byte("0\n"),
	}
	r := poc.Grade(poc.Plan{}, results)
	for _, it := range r.Items {
		for _, c := range it.Checks {
			fmt.Printf("%s %s: %s %s pass=%v\n", it.ID, c.Name, c.Measured, c.Grade, c.Pass)
		}
	}
	fmt.Println("pass:", r.Pass)
	// Output:
	// link iperf3 (bandwidth): not run: link-iperf3.json is missing from the results  pass=false
	// link latency: 7.013ms warning pass=true
	// link jitter: 122µs good pass=true
	// link loss: 0% good pass=true
	// routing cloud pod to hybrid pod: not run: routing-cloud-pod-to-hybrid-pod.txt is missing from the results  pass=false
	// routing hybrid pod to the VPC (the cluster endpoint): not run: routing-hybrid-pod-to-vpc.txt is missing from the results  pass=false
	// pass: false
}
