#!/usr/bin/env bash
# Checks to run on one of the site's DNS servers: the inbound endpoint's security group admits DNS from them only.
set -euo pipefail
# the inbound endpoint 10.0.1.100 answers 0123456789abcdef0123456789abcdef.gr7.ap-northeast-2.eks.amazonaws.com over UDP 53 (private addresses for the EKS endpoint)
ANSWER_1="$(dig +time=2 +tries=1 +notcp @10.0.1.100 +short 0123456789abcdef0123456789abcdef.gr7.ap-northeast-2.eks.amazonaws.com A)"
if [ -z "${ANSWER_1}" ]; then echo 'no answer: the inbound endpoint 10.0.1.100 answers 0123456789abcdef0123456789abcdef.gr7.ap-northeast-2.eks.amazonaws.com over UDP 53 (private addresses for the EKS endpoint)' >&2; exit 1; fi
# the inbound endpoint 10.0.1.100 answers 0123456789abcdef0123456789abcdef.gr7.ap-northeast-2.eks.amazonaws.com over TCP 53 (private addresses for the EKS endpoint)
ANSWER_2="$(dig +time=2 +tries=1 +tcp @10.0.1.100 +short 0123456789abcdef0123456789abcdef.gr7.ap-northeast-2.eks.amazonaws.com A)"
if [ -z "${ANSWER_2}" ]; then echo 'no answer: the inbound endpoint 10.0.1.100 answers 0123456789abcdef0123456789abcdef.gr7.ap-northeast-2.eks.amazonaws.com over TCP 53 (private addresses for the EKS endpoint)' >&2; exit 1; fi
# the inbound endpoint 10.0.2.100 answers 0123456789abcdef0123456789abcdef.gr7.ap-northeast-2.eks.amazonaws.com over UDP 53 (private addresses for the EKS endpoint)
ANSWER_3="$(dig +time=2 +tries=1 +notcp @10.0.2.100 +short 0123456789abcdef0123456789abcdef.gr7.ap-northeast-2.eks.amazonaws.com A)"
if [ -z "${ANSWER_3}" ]; then echo 'no answer: the inbound endpoint 10.0.2.100 answers 0123456789abcdef0123456789abcdef.gr7.ap-northeast-2.eks.amazonaws.com over UDP 53 (private addresses for the EKS endpoint)' >&2; exit 1; fi
# the inbound endpoint 10.0.2.100 answers 0123456789abcdef0123456789abcdef.gr7.ap-northeast-2.eks.amazonaws.com over TCP 53 (private addresses for the EKS endpoint)
ANSWER_4="$(dig +time=2 +tries=1 +tcp @10.0.2.100 +short 0123456789abcdef0123456789abcdef.gr7.ap-northeast-2.eks.amazonaws.com A)"
if [ -z "${ANSWER_4}" ]; then echo 'no answer: the inbound endpoint 10.0.2.100 answers 0123456789abcdef0123456789abcdef.gr7.ap-northeast-2.eks.amazonaws.com over TCP 53 (private addresses for the EKS endpoint)' >&2; exit 1; fi
# the site's resolver forwards 0123456789abcdef0123456789abcdef.gr7.ap-northeast-2.eks.amazonaws.com to AWS
ANSWER_5="$(dig +time=2 +tries=1 +short 0123456789abcdef0123456789abcdef.gr7.ap-northeast-2.eks.amazonaws.com A)"
if [ -z "${ANSWER_5}" ]; then echo 'no answer: the site'\''s resolver forwards 0123456789abcdef0123456789abcdef.gr7.ap-northeast-2.eks.amazonaws.com to AWS' >&2; exit 1; fi
