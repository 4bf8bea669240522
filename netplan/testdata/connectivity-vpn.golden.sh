#!/usr/bin/env bash
# Connectivity for the hybrid nodes of gpu-hybrid-cluster: Transit Gateway, vpn, VPC routes.
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

# Customer gateway (the on-premises device, AS 65000) and the VPN connection to the Transit Gateway.
CGW_ID="$(aws ec2 create-customer-gateway \
    --type ipsec.1 \
    --ip-address 203.0.113.10 \
    --bgp-asn 65000 \
    --tag-specifications 'ResourceType=customer-gateway,Tags=[{Key=Name,Value=gpu-hybrid-cluster-cgw}]' \
    --query CustomerGateway.CustomerGatewayId \
    --output text \
    --region ap-northeast-2)"
VPN_ID="$(aws ec2 create-vpn-connection \
    --type ipsec.1 \
    --customer-gateway-id "${CGW_ID}" \
    --transit-gateway-id "${TGW_ID}" \
    --options '{"TunnelOptions":[{"TunnelInsideCidr":"169.254.10.0/30"},{"TunnelInsideCidr":"169.254.10.4/30"}]}' \
    --query VpnConnection.VpnConnectionId \
    --output text \
    --region ap-northeast-2)"
# The tunnels come up once the VPN connection is available; its customer gateway configuration
# (aws ec2 describe-vpn-connections) then holds what the on-premises device needs.
attempt=0
until [ "$(aws ec2 describe-vpn-connections \
      --vpn-connection-ids "${VPN_ID}" \
      --query 'VpnConnections[0].State' \
      --output text \
      --region ap-northeast-2)" = available ]; do
  attempt=$((attempt + 1))
  if [ "$attempt" -ge 90 ]; then echo 'timed out waiting for available' >&2; exit 1; fi
  sleep 10
done

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
  --route-table-id rtb-0ccccccccccccccc3 \
  --destination-cidr-block 192.168.10.0/24 \
  --transit-gateway-id "${TGW_ID}" \
  --region ap-northeast-2
aws ec2 create-route \
  --route-table-id rtb-0ccccccccccccccc3 \
  --destination-cidr-block 10.244.0.0/16 \
  --transit-gateway-id "${TGW_ID}" \
  --region ap-northeast-2
