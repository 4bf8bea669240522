#!/usr/bin/env bash
# Cluster security group rules for hybrid nodes
set -euo pipefail
# The cluster security group EKS created for gpu-hybrid-cluster.
SG_ID="$(aws eks describe-cluster \
    --name gpu-hybrid-cluster \
    --query cluster.resourcesVpcConfig.clusterSecurityGroupId \
    --output text \
    --region ap-northeast-2)"

# kubelet and kube-proxy to the EKS API server
aws ec2 authorize-security-group-ingress \
  --group-id "${SG_ID}" \
  --ip-permissions '[{"IpProtocol":"tcp","FromPort":443,"ToPort":443,"IpRanges":[{"CidrIp":"192.168.10.0/24","Description":"kubelet and kube-proxy to the EKS API server"}]}]' \
  --region ap-northeast-2

# pods to the EKS API server
aws ec2 authorize-security-group-ingress \
  --group-id "${SG_ID}" \
  --ip-permissions '[{"IpProtocol":"tcp","FromPort":443,"ToPort":443,"IpRanges":[{"CidrIp":"10.244.0.0/16","Description":"pods to the EKS API server"}]}]' \
  --region ap-northeast-2

# EKS control plane to admission webhooks on hybrid pods
aws ec2 authorize-security-group-egress \
  --group-id "${SG_ID}" \
  --ip-permissions '[{"IpProtocol":"tcp","FromPort":443,"ToPort":443,"IpRanges":[{"CidrIp":"10.244.0.0/16","Description":"EKS control plane to admission webhooks on hybrid pods"}]}]' \
  --region ap-northeast-2

# EKS control plane to admission webhooks on hybrid pods
aws ec2 authorize-security-group-egress \
  --group-id "${SG_ID}" \
  --ip-permissions '[{"IpProtocol":"tcp","FromPort":8443,"ToPort":8443,"IpRanges":[{"CidrIp":"10.244.0.0/16","Description":"EKS control plane to admission webhooks on hybrid pods"}]}]' \
  --region ap-northeast-2

# EKS control plane to admission webhooks on hybrid pods
aws ec2 authorize-security-group-egress \
  --group-id "${SG_ID}" \
  --ip-permissions '[{"IpProtocol":"tcp","FromPort":9443,"ToPort":9443,"IpRanges":[{"CidrIp":"10.244.0.0/16","Description":"EKS control plane to admission webhooks on hybrid pods"}]}]' \
  --region ap-northeast-2

# EKS control plane to the kubelet (logs, exec, port-forward)
aws ec2 authorize-security-group-egress \
  --group-id "${SG_ID}" \
  --ip-permissions '[{"IpProtocol":"tcp","FromPort":10250,"ToPort":10250,"IpRanges":[{"CidrIp":"192.168.10.0/24","Description":"EKS control plane to the kubelet (logs, exec, port-forward)"}]}]' \
  --region ap-northeast-2
