#!/usr/bin/env bash
# Checks to run where kubectl reaches the cluster.
set -euo pipefail
# a pod on a hybrid node resolves the on-premises zone company.local
kubectl run dns-check-hybrid \
  --rm -i \
  --restart=Never \
  --image=registry.k8s.io/e2e-test-images/jessie-dnsutils:1.3 \
  '--overrides={"apiVersion":"v1","spec":{"affinity":{"nodeAffinity":{"requiredDuringSchedulingIgnoredDuringExecution":{"nodeSelectorTerms":[{"matchExpressions":[{"key":"eks.amazonaws.com/compute-type","operator":"In","values":["hybrid"]}]}]}}}}}' \
  -- dig +short SOA company.local
# a pod on a cloud node resolves the on-premises zone company.local
kubectl run dns-check-cloud \
  --rm -i \
  --restart=Never \
  --image=registry.k8s.io/e2e-test-images/jessie-dnsutils:1.3 \
  '--overrides={"apiVersion":"v1","spec":{"affinity":{"nodeAffinity":{"requiredDuringSchedulingIgnoredDuringExecution":{"nodeSelectorTerms":[{"matchExpressions":[{"key":"eks.amazonaws.com/compute-type","operator":"NotIn","values":["hybrid"]}]}]}}}}}' \
  -- dig +short SOA company.local
# Link baseline from a hybrid node to the NFS server 192.168.1.100 (the iperf3 run needs `iperf3 -s` there).
kubectl run hybridkit-ping \
  --image=networkstatic/iperf3 \
  --restart=Never \
  --rm -i \
  '--overrides={"spec":{"nodeSelector":{"eks.amazonaws.com/compute-type":"hybrid"},"tolerations":[{"operator":"Exists"}]}}' \
  -- ping -c 100 -i 0.2 192.168.1.100
kubectl run hybridkit-iperf3 \
  --image=networkstatic/iperf3 \
  --restart=Never \
  --rm -i \
  '--overrides={"spec":{"nodeSelector":{"eks.amazonaws.com/compute-type":"hybrid"},"tolerations":[{"operator":"Exists"}]}}' \
  -- iperf3 -c 192.168.1.100 -t 30 -P 4 -J
kubectl run hybridkit-mtu \
  --image=networkstatic/iperf3 \
  --restart=Never \
  --rm -i \
  '--overrides={"spec":{"nodeSelector":{"eks.amazonaws.com/compute-type":"hybrid"},"tolerations":[{"operator":"Exists"}]}}' \
  -- ping -M do -s 8472 -c 3 192.168.1.100
