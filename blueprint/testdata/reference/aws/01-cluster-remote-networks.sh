#!/usr/bin/env bash
# Remote networks of gpu-hybrid-cluster (EKS Hybrid Nodes).
# update-cluster-config replaces the whole list: this sends every remote network of the plan.
set -euo pipefail
aws eks update-cluster-config \
  --name gpu-hybrid-cluster \
  --region ap-northeast-2 \
  --remote-network-config '{"remoteNodeNetworks":[{"cidrs":["192.168.10.0/24"]}],"remotePodNetworks":[{"cidrs":["10.244.0.0/16"]}]}'
