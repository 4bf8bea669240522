#!/usr/bin/env bash
# Identity of the hybrid nodes of gpu-hybrid-cluster (iam-roles-anywhere): the Hybrid Nodes IAM role, its access entry, and its credential source.
set -euo pipefail

# The role and what it may do (EKS User Guide, hybrid-nodes-creds).
aws iam create-role \
  --role-name AmazonEKSHybridNodesRole \
  --description 'EKS Hybrid Nodes of gpu-hybrid-cluster' \
  --assume-role-policy-document '{"Version":"2012-10-17","Statement":[{"Sid":"RolesAnywhereSessionTags","Effect":"Allow","Principal":{"Service":"rolesanywhere.amazonaws.com"},"Action":["sts:TagSession","sts:SetSourceIdentity"],"Condition":{"ArnEquals":{"aws:SourceArn":"arn:aws:rolesanywhere:ap-northeast-2:111122223333:trust-anchor/1b2c3d4e-5f60-4a7b-8c9d-0e1f2a3b4c5d"}}},{"Sid":"RolesAnywhereSessionNameIsCertificateCN","Effect":"Allow","Principal":{"Service":"rolesanywhere.amazonaws.com"},"Action":["sts:AssumeRole"],"Condition":{"ArnEquals":{"aws:SourceArn":"arn:aws:rolesanywhere:ap-northeast-2:111122223333:trust-anchor/1b2c3d4e-5f60-4a7b-8c9d-0e1f2a3b4c5d"},"StringEquals":{"sts:RoleSessionName":"${aws:PrincipalTag/x509Subject/CN}"}}}]}'
aws iam put-role-policy \
  --role-name AmazonEKSHybridNodesRole \
  --policy-name EKSHybridNodes \
  --policy-document '{"Version":"2012-10-17","Statement":[{"Sid":"DescribeCluster","Effect":"Allow","Action":["eks:DescribeCluster","eks:ListAccessEntries"],"Resource":["arn:aws:eks:ap-northeast-2:111122223333:cluster/gpu-hybrid-cluster"]},{"Sid":"PodIdentity","Effect":"Allow","Action":["eks-auth:AssumeRoleForPodIdentity"],"Resource":["arn:aws:eks:ap-northeast-2:111122223333:cluster/gpu-hybrid-cluster"]}]}'
aws iam attach-role-policy \
  --role-name AmazonEKSHybridNodesRole \
  --policy-arn arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryPullOnly

# Let the role join the cluster as a node (authentication mode API or API_AND_CONFIG_MAP).
aws eks create-access-entry \
  --cluster-name gpu-hybrid-cluster \
  --principal-arn arn:aws:iam::111122223333:role/AmazonEKSHybridNodesRole \
  --type HYBRID_LINUX \
  --region ap-northeast-2

# IAM Roles Anywhere profile: certificates from the trust anchor may assume the role for 3600 s.
# It prints the profile ARN for the NodeConfigs (iamRolesAnywhere.profileArn).
aws rolesanywhere create-profile \
  --name gpu-hybrid-cluster-hybrid-nodes \
  --role-arns arn:aws:iam::111122223333:role/AmazonEKSHybridNodesRole \
  --duration-seconds 3600 \
  --enabled \
  --query profile.profileArn \
  --output text \
  --region ap-northeast-2
