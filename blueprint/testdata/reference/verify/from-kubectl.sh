#!/usr/bin/env bash
# Checks to run where kubectl reaches the cluster.
set -euo pipefail
# a pod on a hybrid node resolves the on-premises zone company.local
ANSWER_6="$(kubectl run dns-check-hybrid \
    --rm -i \
    --quiet \
    --restart=Never \
    --image=registry.k8s.io/e2e-test-images/jessie-dnsutils:1.3 \
    '--overrides={"apiVersion":"v1","spec":{"affinity":{"nodeAffinity":{"requiredDuringSchedulingIgnoredDuringExecution":{"nodeSelectorTerms":[{"matchExpressions":[{"key":"eks.amazonaws.com/compute-type","operator":"In","values":["hybrid"]}]}]}}}}}' \
    -- dig +time=2 +tries=1 +short SOA company.local)"
if [ -z "${ANSWER_6}" ]; then echo 'no answer: a pod on a hybrid node resolves the on-premises zone company.local' >&2; exit 1; fi
# a pod on a cloud node resolves the on-premises zone company.local
ANSWER_7="$(kubectl run dns-check-cloud \
    --rm -i \
    --quiet \
    --restart=Never \
    --image=registry.k8s.io/e2e-test-images/jessie-dnsutils:1.3 \
    '--overrides={"apiVersion":"v1","spec":{"affinity":{"nodeAffinity":{"requiredDuringSchedulingIgnoredDuringExecution":{"nodeSelectorTerms":[{"matchExpressions":[{"key":"eks.amazonaws.com/compute-type","operator":"NotIn","values":["hybrid"]}]}]}}}}}' \
    -- dig +time=2 +tries=1 +short SOA company.local)"
if [ -z "${ANSWER_7}" ]; then echo 'no answer: a pod on a cloud node resolves the on-premises zone company.local' >&2; exit 1; fi
# Path MTU from a hybrid node's own network to the NFS server 192.168.1.100, where the kubelet mounts it: 8500, so a don't-fragment ping of 8472 bytes passes and one byte more does not.
kubectl run hybridkit-mtu \
  --image=networkstatic/iperf3 \
  --restart=Never \
  --rm -i \
  --quiet \
  '--overrides={"spec":{"hostNetwork":true,"nodeSelector":{"eks.amazonaws.com/compute-type":"hybrid"},"tolerations":[{"operator":"Exists"}]}}' \
  -- ping -M do -s 8472 -c 3 -W 2 192.168.1.100
if kubectl run hybridkit-mtu-over \
    --image=networkstatic/iperf3 \
    --restart=Never \
    --rm -i \
    --quiet \
    '--overrides={"spec":{"hostNetwork":true,"nodeSelector":{"eks.amazonaws.com/compute-type":"hybrid"},"tolerations":[{"operator":"Exists"}]}}' \
    -- ping -M do -s 8473 -c 1 -W 2 192.168.1.100; then echo 'a 8473-byte don'\''t-fragment ping from a hybrid node passed: the path to 192.168.1.100 carries more than the plan'\''s 8500 bytes' >&2; exit 1; fi
# From a pod the interface MTU is the pod MTU, 8450 with vxlan: its payload is 8422.
kubectl run hybridkit-pod-mtu \
  --image=networkstatic/iperf3 \
  --restart=Never \
  --rm -i \
  --quiet \
  '--overrides={"spec":{"nodeSelector":{"eks.amazonaws.com/compute-type":"hybrid"},"tolerations":[{"operator":"Exists"}]}}' \
  -- ping -M do -s 8422 -c 3 -W 2 192.168.1.100
# Link baseline from a hybrid node to 192.168.1.100 (the iperf3 run needs `iperf3 -s` there).
kubectl run hybridkit-ping \
  --image=networkstatic/iperf3 \
  --restart=Never \
  --rm -i \
  --quiet \
  '--overrides={"spec":{"hostNetwork":true,"nodeSelector":{"eks.amazonaws.com/compute-type":"hybrid"},"tolerations":[{"operator":"Exists"}]}}' \
  -- ping -c 100 -i 0.2 192.168.1.100
kubectl run hybridkit-iperf3 \
  --image=networkstatic/iperf3 \
  --restart=Never \
  --rm -i \
  --quiet \
  '--overrides={"spec":{"hostNetwork":true,"nodeSelector":{"eks.amazonaws.com/compute-type":"hybrid"},"tolerations":[{"operator":"Exists"}]}}' \
  -- iperf3 -c 192.168.1.100 -t 30 -P 4 -J
