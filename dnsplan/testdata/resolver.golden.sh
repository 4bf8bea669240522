#!/usr/bin/env bash
# Route 53 Resolver for the EKS cluster VPC vpc-0a1b2c3d4e5f67890 (ap-northeast-2): endpoints, rules and their associations.
set -euo pipefail

# DNS through the endpoints' security groups (TCP and UDP).
aws ec2 authorize-security-group-ingress \
  --group-id sg-0123456789abcdef0 \
  --ip-permissions '[{"FromPort":53,"IpProtocol":"tcp","IpRanges":[{"CidrIp":"192.168.1.53/32","Description":"DNS from the site'\''s resolver to the inbound endpoint"}],"ToPort":53}]' \
  --region ap-northeast-2
aws ec2 authorize-security-group-ingress \
  --group-id sg-0123456789abcdef0 \
  --ip-permissions '[{"FromPort":53,"IpProtocol":"udp","IpRanges":[{"CidrIp":"192.168.1.53/32","Description":"DNS from the site'\''s resolver to the inbound endpoint"}],"ToPort":53}]' \
  --region ap-northeast-2
aws ec2 authorize-security-group-ingress \
  --group-id sg-0123456789abcdef0 \
  --ip-permissions '[{"FromPort":53,"IpProtocol":"tcp","IpRanges":[{"CidrIp":"192.168.1.54/32","Description":"DNS from the site'\''s resolver to the inbound endpoint"}],"ToPort":53}]' \
  --region ap-northeast-2
aws ec2 authorize-security-group-ingress \
  --group-id sg-0123456789abcdef0 \
  --ip-permissions '[{"FromPort":53,"IpProtocol":"udp","IpRanges":[{"CidrIp":"192.168.1.54/32","Description":"DNS from the site'\''s resolver to the inbound endpoint"}],"ToPort":53}]' \
  --region ap-northeast-2
aws ec2 authorize-security-group-egress \
  --group-id sg-0fedcba9876543210 \
  --ip-permissions '[{"FromPort":53,"IpProtocol":"tcp","IpRanges":[{"CidrIp":"192.168.1.53/32","Description":"DNS from the outbound endpoint to an on-premises server"}],"ToPort":53}]' \
  --region ap-northeast-2
aws ec2 authorize-security-group-egress \
  --group-id sg-0fedcba9876543210 \
  --ip-permissions '[{"FromPort":53,"IpProtocol":"udp","IpRanges":[{"CidrIp":"192.168.1.53/32","Description":"DNS from the outbound endpoint to an on-premises server"}],"ToPort":53}]' \
  --region ap-northeast-2
aws ec2 authorize-security-group-egress \
  --group-id sg-0fedcba9876543210 \
  --ip-permissions '[{"FromPort":53,"IpProtocol":"tcp","IpRanges":[{"CidrIp":"192.168.1.54/32","Description":"DNS from the outbound endpoint to an on-premises server"}],"ToPort":53}]' \
  --region ap-northeast-2
aws ec2 authorize-security-group-egress \
  --group-id sg-0fedcba9876543210 \
  --ip-permissions '[{"FromPort":53,"IpProtocol":"udp","IpRanges":[{"CidrIp":"192.168.1.54/32","Description":"DNS from the outbound endpoint to an on-premises server"}],"ToPort":53}]' \
  --region ap-northeast-2

# INBOUND endpoint hybrid-inbound.
INBOUND_ENDPOINT_ID="$(aws route53resolver create-resolver-endpoint \
    --creator-request-id hybridkit-vpc-0a1b2c3d4e5f67890-INBOUND \
    --name hybrid-inbound \
    --direction INBOUND \
    --security-group-ids sg-0123456789abcdef0 \
    --ip-addresses SubnetId=subnet-0aaaaaaaaaaaaaaa1,Ip=10.0.1.100 SubnetId=subnet-0ccccccccccccccc3,Ip=10.0.2.100 \
    --resolver-endpoint-type IPV4 \
    --query ResolverEndpoint.Id \
    --output text \
    --region ap-northeast-2)"

# OUTBOUND endpoint hybrid-outbound.
OUTBOUND_ENDPOINT_ID="$(aws route53resolver create-resolver-endpoint \
    --creator-request-id hybridkit-vpc-0a1b2c3d4e5f67890-OUTBOUND \
    --name hybrid-outbound \
    --direction OUTBOUND \
    --security-group-ids sg-0fedcba9876543210 \
    --ip-addresses SubnetId=subnet-0aaaaaaaaaaaaaaa1,Ip=10.0.1.101 SubnetId=subnet-0ccccccccccccccc3,Ip=10.0.2.101 \
    --resolver-endpoint-type IPV4 \
    --query ResolverEndpoint.Id \
    --output text \
    --region ap-northeast-2)"
# The site's forwarders need the inbound endpoint; wait until it is OPERATIONAL.
attempt=0
until [ "$(aws route53resolver get-resolver-endpoint \
      --resolver-endpoint-id "${INBOUND_ENDPOINT_ID}" \
      --query ResolverEndpoint.Status \
      --output text \
      --region ap-northeast-2)" = OPERATIONAL ]; do
  attempt=$((attempt + 1))
  if [ "$attempt" -ge 60 ]; then echo 'timed out waiting for OPERATIONAL' >&2; exit 1; fi
  sleep 10
done
# Rules need the outbound endpoint; wait until it is OPERATIONAL.
attempt=0
until [ "$(aws route53resolver get-resolver-endpoint \
      --resolver-endpoint-id "${OUTBOUND_ENDPOINT_ID}" \
      --query ResolverEndpoint.Status \
      --output text \
      --region ap-northeast-2)" = OPERATIONAL ]; do
  attempt=$((attempt + 1))
  if [ "$attempt" -ge 60 ]; then echo 'timed out waiting for OPERATIONAL' >&2; exit 1; fi
  sleep 10
done

# FORWARD rule for company.local.
RULE_ID_1="$(aws route53resolver create-resolver-rule \
    --creator-request-id hybridkit-vpc-0a1b2c3d4e5f67890-rule-650025665db6f7dd \
    --name company-local \
    --rule-type FORWARD \
    --domain-name company.local \
    --target-ips Ip=192.168.1.53,Port=53 Ip=192.168.1.54,Port=53 \
    --resolver-endpoint-id "${OUTBOUND_ENDPOINT_ID}" \
    --query ResolverRule.Id \
    --output text \
    --region ap-northeast-2)"
# A rule does nothing until it is associated with a VPC.
aws route53resolver associate-resolver-rule \
  --resolver-rule-id "${RULE_ID_1}" \
  --vpc-id vpc-0a1b2c3d4e5f67890 \
  --region ap-northeast-2
