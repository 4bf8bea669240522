#!/usr/bin/env bash
# EKS spend in ap-northeast-2 this month, by usage type (Cost Explorer).
# Hybrid nodes are billed per vCPU-hour as a usage type of the EKS service; the cluster fee is another.
# Cost Explorer is served from us-east-1 for the whole partition, and its End date is exclusive.
set -euo pipefail
# The plan expects 1635200 vCPU-hours ($24,416.00) for hybrid nodes in a 730-hour month.
START="$(date -u +%Y-%m-01)"
END="$(date -u -d tomorrow +%Y-%m-%d)"
# The Region's EKS usage types: the hybrid nodes' vCPU-hours are one of them.
aws ce get-dimension-values \
  --region us-east-1 \
  --time-period Start="${START}",End="${END}" \
  --dimension USAGE_TYPE \
  --filter '{"And":[{"Dimensions":{"Key":"SERVICE","Values":["Amazon Elastic Container Service for Kubernetes"]}},{"Dimensions":{"Key":"REGION","Values":["ap-northeast-2"]}}]}' \
  --query 'DimensionValues[].Value' \
  --output text
# Cost and usage of each: for hybrid nodes UsageQuantity is vCPU-hours.
aws ce get-cost-and-usage \
  --region us-east-1 \
  --time-period Start="${START}",End="${END}" \
  --granularity MONTHLY \
  --metrics UnblendedCost UsageQuantity \
  --filter '{"And":[{"Dimensions":{"Key":"SERVICE","Values":["Amazon Elastic Container Service for Kubernetes"]}},{"Dimensions":{"Key":"REGION","Values":["ap-northeast-2"]}}]}' \
  --group-by Type=DIMENSION,Key=USAGE_TYPE
