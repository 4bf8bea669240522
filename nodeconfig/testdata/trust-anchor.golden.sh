#!/usr/bin/env bash
# IAM Roles Anywhere trust anchor site-ca: the CA of the hybrid nodes' certificates.
# It prints the trust anchor ARN for the Identity and the NodeConfigs.
set -euo pipefail
aws rolesanywhere create-trust-anchor \
  --name site-ca \
  --source '{"sourceType":"CERTIFICATE_BUNDLE","sourceData":{"x509CertificateData":"-----BEGIN CERTIFICATE-----\nMIIB4TCCAYegAwIBAgIULwaBsvrK1xux4Ivda9+lt9o+9m0wCgYIKoZIzj0EAwIw\nPjEVMBMGA1UECgwMRXhhbXBsZSBTaXRlMSUwIwYDVQQDDBxFeGFtcGxlIFNpdGUg\nSHlicmlkIE5vZGVzIENBMB4XDTI2MTEyNzEzNDgxNFoXDTM2MTEyNDEzNDgxNFow\nPjEVMBMGA1UECgwMRXhhbXBsZSBTaXRlMSUwIwYDVQQDDBxFeGFtcGxlIFNpdGUg\nSHlicmlkIE5vZGVzIENBMFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEds/2yT9C\n5r6pa2vabSMgMbS1DOdnspx8gKRMfByScHxODLW9xqFYcYN89G1pAIuKtEEstKJq\nd1Gy+hXb8VuP1KNjMGEwHQYDVR0OBBYEFAP3LAlinNxlj0EZqXftcsfCqXnoMB8G\nA1UdIwQYMBaAFAP3LAlinNxlj0EZqXftcsfCqXnoMA8GA1UdEwEB/wQFMAMBAf8w\nDgYDVR0PAQH/BAQDAgEGMAoGCCqGSM49BAMCA0gAMEUCIQDg+aYmUmCoCfy5Pbp5\nC7YDxesR9g2UhyS62uKiUa0q7QIgW/R3C910nHeqCYZ34c0JcvKiu1ieo7MOsxRL\nn/lvEX4=\n-----END CERTIFICATE-----\n"}}' \
  --enabled \
  --query trustAnchor.trustAnchorArn \
  --output text \
  --region ap-northeast-2
