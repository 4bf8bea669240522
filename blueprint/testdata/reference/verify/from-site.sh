#!/usr/bin/env bash
# Checks to run on a host at the site whose resolver is the site's DNS.
set -euo pipefail
# the inbound endpoint 10.0.1.100 answers 0123456789abcdef0123456789abcdef.gr7.ap-northeast-2.eks.amazonaws.com (private addresses for the EKS endpoint)
dig @10.0.1.100 +short 0123456789abcdef0123456789abcdef.gr7.ap-northeast-2.eks.amazonaws.com A
# the inbound endpoint 10.0.2.100 answers 0123456789abcdef0123456789abcdef.gr7.ap-northeast-2.eks.amazonaws.com (private addresses for the EKS endpoint)
dig @10.0.2.100 +short 0123456789abcdef0123456789abcdef.gr7.ap-northeast-2.eks.amazonaws.com A
# the site's resolver forwards 0123456789abcdef0123456789abcdef.gr7.ap-northeast-2.eks.amazonaws.com to AWS
dig +short 0123456789abcdef0123456789abcdef.gr7.ap-northeast-2.eks.amazonaws.com A
# Path MTU to the VPC: must succeed; one byte more must fail (8472 = MTU 8500 - 28).
ping -M do -s 8472 -c 3 10.0.1.100
