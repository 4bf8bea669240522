#!/usr/bin/env bash
# Connectivity for the hybrid nodes of gpu-hybrid-cluster: Transit Gateway, direct-connect, VPC routes.
# Run once; every command fails loudly (set -e).
set -euo pipefail

# Transit Gateway (Amazon-side ASN 64512).
TGW_ID="$(aws ec2 create-transit-gateway \
    --description 'hybrid nodes of gpu-hybrid-cluster' \
    --options AmazonSideAsn=64512,AutoAcceptSharedAttachments=disable,DefaultRouteTableAssociation=enable,DefaultRouteTablePropagation=enable,DnsSupport=enable,VpnEcmpSupport=enable \
    --tag-specifications 'ResourceType=transit-gateway,Tags=[{Key=Name,Value=gpu-hybrid-cluster-tgw}]' \
    --query TransitGateway.TransitGatewayId \
    --output text \
    --region ap-northeast-2)"
# Wait until it is available (the EC2 CLI has no transit-gateway waiter).
attempt=0
until [ "$(aws ec2 describe-transit-gateways \
      --transit-gateway-ids "${TGW_ID}" \
      --query 'TransitGateways[0].State' \
      --output text \
      --region ap-northeast-2)" = available ]; do
  attempt=$((attempt + 1))
  if [ "$attempt" -ge 90 ]; then echo 'timed out waiting for available' >&2; exit 1; fi
  sleep 10
done

# Attach the VPC (one subnet per Availability Zone).
TGW_VPC_ATTACHMENT_ID="$(aws ec2 create-transit-gateway-vpc-attachment \
    --transit-gateway-id "${TGW_ID}" \
    --vpc-id vpc-0a1b2c3d4e5f67890 \
    --subnet-ids subnet-0aaaaaaaaaaaaaaa1 subnet-0ccccccccccccccc3 \
    --query TransitGatewayVpcAttachment.TransitGatewayAttachmentId \
    --output text \
    --region ap-northeast-2)"

# Direct Connect gateway (ASN 64513, different from the Transit Gateway's), associated with the Transit Gateway.
# Allowed prefixes are what AWS announces to the site: the VPC CIDRs.
DXGW_ID="$(aws directconnect create-direct-connect-gateway \
    --direct-connect-gateway-name gpu-hybrid-dxgw \
    --amazon-side-asn 64513 \
    --query directConnectGateway.directConnectGatewayId \
    --output text \
    --region ap-northeast-2)"
aws directconnect create-direct-connect-gateway-association \
  --direct-connect-gateway-id "${DXGW_ID}" \
  --gateway-id "${TGW_ID}" \
  --add-allowed-prefixes-to-direct-connect-gateway cidr=10.0.0.0/16 \
  --region ap-northeast-2
# Then create a transit virtual interface on your Direct Connect connection to this gateway
# (aws directconnect create-transit-virtual-interface), with MTU 8500 for jumbo frames.

# VPC routes: every remote node and pod network goes to the Transit Gateway.
attempt=0
until [ "$(aws ec2 describe-transit-gateway-vpc-attachments \
      --transit-gateway-attachment-ids "${TGW_VPC_ATTACHMENT_ID}" \
      --query 'TransitGatewayVpcAttachments[0].State' \
      --output text \
      --region ap-northeast-2)" = available ]; do
  attempt=$((attempt + 1))
  if [ "$attempt" -ge 90 ]; then echo 'timed out waiting for available' >&2; exit 1; fi
  sleep 10
done
aws ec2 create-route \
  --route-table-id rtb-0aaaaaaaaaaaaaaa1 \
  --destination-cidr-block 192.168.10.0/24 \
  --transit-gateway-id "${TGW_ID}" \
  --region ap-northeast-2
aws ec2 create-route \
  --route-table-id rtb-0aaaaaaaaaaaaaaa1 \
  --destination-cidr-block 10.244.0.0/16 \
  --transit-gateway-id "${TGW_ID}" \
  --region ap-northeast-2
aws ec2 create-route \
  --route-table-id rtb-0aaaaaaaaaaaaaaa1 \
  --destination-cidr-block 192.168.1.53/32 \
  --transit-gateway-id "${TGW_ID}" \
  --region ap-northeast-2
aws ec2 create-route \
  --route-table-id rtb-0aaaaaaaaaaaaaaa1 \
  --destination-cidr-block 192.168.1.54/32 \
  --transit-gateway-id "${TGW_ID}" \
  --region ap-northeast-2
aws ec2 create-route \
  --route-table-id rtb-0aaaaaaaaaaaaaaa1 \
  --destination-cidr-block 192.168.1.100/32 \
  --transit-gateway-id "${TGW_ID}" \
  --region ap-northeast-2
aws ec2 create-route \
  --route-table-id rtb-0ccccccccccccccc3 \
  --destination-cidr-block 192.168.10.0/24 \
  --transit-gateway-id "${TGW_ID}" \
  --region ap-northeast-2
aws ec2 create-route \
  --route-table-id rtb-0ccccccccccccccc3 \
  --destination-cidr-block 10.244.0.0/16 \
  --transit-gateway-id "${TGW_ID}" \
  --region ap-northeast-2
aws ec2 create-route \
  --route-table-id rtb-0ccccccccccccccc3 \
  --destination-cidr-block 192.168.1.53/32 \
  --transit-gateway-id "${TGW_ID}" \
  --region ap-northeast-2
aws ec2 create-route \
  --route-table-id rtb-0ccccccccccccccc3 \
  --destination-cidr-block 192.168.1.54/32 \
  --transit-gateway-id "${TGW_ID}" \
  --region ap-northeast-2
aws ec2 create-route \
  --route-table-id rtb-0ccccccccccccccc3 \
  --destination-cidr-block 192.168.1.100/32 \
  --transit-gateway-id "${TGW_ID}" \
  --region ap-northeast-2
