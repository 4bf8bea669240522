#!/usr/bin/env bash
# Identity of the hybrid nodes of gpu-hybrid-cluster (ssm): the Hybrid Nodes IAM role, its access entry, and its credential source.
set -euo pipefail

# The role and what it may do (EKS User Guide, hybrid-nodes-creds).
aws iam create-role \
  --role-name AmazonEKSHybridNodesRole \
  --description 'EKS Hybrid Nodes of gpu-hybrid-cluster' \
  --assume-role-policy-document '{"Version":"2012-10-17","Statement":[{"Sid":"SSMHybridActivation","Effect":"Allow","Principal":{"Service":"ssm.amazonaws.com"},"Action":["sts:AssumeRole"],"Condition":{"ArnEquals":{"aws:SourceArn":"arn:aws:ssm:ap-northeast-2:111122223333:*"},"StringEquals":{"aws:SourceAccount":"111122223333"}}}]}'
aws iam put-role-policy \
  --role-name AmazonEKSHybridNodesRole \
  --policy-name EKSHybridNodes \
  --policy-document '{"Version":"2012-10-17","Statement":[{"Sid":"DescribeCluster","Effect":"Allow","Action":["eks:DescribeCluster","eks:ListAccessEntries"],"Resource":["arn:aws:eks:ap-northeast-2:111122223333:cluster/gpu-hybrid-cluster"]},{"Sid":"DescribeManagedInstances","Effect":"Allow","Action":["ssm:DescribeInstanceInformation"],"Resource":["*"]},{"Sid":"DeregisterOwnManagedInstances","Effect":"Allow","Action":["ssm:DeregisterManagedInstance"],"Resource":["arn:aws:ssm:ap-northeast-2:111122223333:managed-instance/*"],"Condition":{"StringEquals":{"ssm:resourceTag/EKSClusterARN":"arn:aws:eks:ap-northeast-2:111122223333:cluster/gpu-hybrid-cluster"}}}]}'
aws iam attach-role-policy \
  --role-name AmazonEKSHybridNodesRole \
  --policy-arn arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryPullOnly
aws iam attach-role-policy \
  --role-name AmazonEKSHybridNodesRole \
  --policy-arn arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore

# Let the role join the cluster as a node (authentication mode API or API_AND_CONFIG_MAP).
aws eks create-access-entry \
  --cluster-name gpu-hybrid-cluster \
  --principal-arn arn:aws:iam::111122223333:role/AmazonEKSHybridNodesRole \
  --type HYBRID_LINUX \
  --region ap-northeast-2

# SSM hybrid activation for 10 nodes. It prints the activation ID and code:
# the code is shown only once; keep it in your secret store and put both in the NodeConfigs.
aws ssm create-activation \
  --default-instance-name eks-hybrid-nodes \
  --description 'EKS Hybrid Nodes of gpu-hybrid-cluster' \
  --iam-role AmazonEKSHybridNodesRole \
  --registration-limit 10 \
  --expiration-date 2026-12-04T00:00:00Z \
  --tags Key=EKSClusterARN,Value=arn:aws:eks:ap-northeast-2:111122223333:cluster/gpu-hybrid-cluster \
  --query '{ActivationId: ActivationId, ActivationCode: ActivationCode}' \
  --output json \
  --region ap-northeast-2
