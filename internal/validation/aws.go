package validation

import (
	"strings"

	"k8s.io/apimachinery/pkg/util/validation/field"
)

// Region checks an AWS Region code such as "ap-northeast-2",
// "us-gov-west-1" or "eusc-de-east-1": the format of one of the AWS
// partitions (see RegionPartition). Empty is an error.
func Region(p *field.Path, s string) field.ErrorList {
	if s == "" {
		return field.ErrorList{field.Required(p, "an AWS Region code such as ap-northeast-2")}
	}
	if !IsRegion(s) {
		return field.ErrorList{field.Invalid(p, s, "must be an AWS Region code such as ap-northeast-2, us-gov-west-1 or eusc-de-east-1")}
	}
	return nil
}

// IsRegion reports whether s has the format of a Region code of an AWS
// partition.
func IsRegion(s string) bool {
	_, ok := RegionPartition(s)
	return ok
}

// Partition is an AWS partition: its ID, which ARNs carry, and the DNS
// suffix of its service endpoints and ECR registries.
type Partition struct {
	ID        string
	DNSSuffix string
}

// RegionPartition returns the partition whose Region format s has: a
// prefix of the partition, one or more lower-case words and a number of
// one or two digits. The prefixes and suffixes are those of the AWS SDKs'
// partition table,
// https://github.com/aws/aws-sdk-go-v2/blob/v1.48.0/internal/endpoints/awsrulesfn/partitions.json
// (regionRegex and dnsSuffix of each partition), written with lower-case
// letters where the table's regular expressions say \w. ok is false for
// anything else.
func RegionPartition(s string) (Partition, bool) {
	for _, p := range &regionPartitions {
		for _, prefix := range p.prefixes {
			if len(s) > len(prefix) && s[len(prefix)] == '-' && strings.HasPrefix(s, prefix) && regionTail(s[len(prefix)+1:]) {
				return p.Partition, true
			}
		}
	}
	return Partition{}, false
}

// regionPartitions is RegionPartition's table, read-only: the prefixes
// that contain another partition's come first.
var regionPartitions = [...]struct {
	prefixes []string
	Partition
}{
	{[]string{"us-gov"}, Partition{"aws-us-gov", "amazonaws.com"}},
	{[]string{"us-isob"}, Partition{"aws-iso-b", "sc2s.sgov.gov"}},
	{[]string{"us-isof"}, Partition{"aws-iso-f", "csp.hci.ic.gov"}},
	{[]string{"us-iso"}, Partition{"aws-iso", "c2s.ic.gov"}},
	{[]string{"eu-isoe"}, Partition{"aws-iso-e", "cloud.adc-e.uk"}},
	{[]string{"eusc-de"}, Partition{"aws-eusc", "amazonaws.eu"}},
	{[]string{"cn"}, Partition{"aws-cn", "amazonaws.com.cn"}},
	{[]string{"us", "eu", "ap", "sa", "ca", "me", "af", "il", "mx"}, Partition{"aws", "amazonaws.com"}},
}

// regionTail reports whether s is "<word>-<number>": one lower-case word
// and a number of one or two digits.
func regionTail(s string) bool {
	word, n, ok := strings.Cut(s, "-")
	return ok && word != "" && allIn(word, isLower) && len(n) >= 1 && len(n) <= 2 && allIn(n, isDigit)
}

// ClusterName checks an EKS cluster name: 1 to 100 characters, letters,
// digits, hyphens and underscores, starting with a letter or digit (EKS API
// reference, CreateCluster "name": "can contain only alphanumeric
// characters (case-sensitive), hyphens, and underscores. It must start with
// an alphanumeric character and can't be longer than 100 characters").
// Empty is an error.
func ClusterName(p *field.Path, s string) field.ErrorList {
	if s == "" {
		return field.ErrorList{field.Required(p, "the EKS cluster name")}
	}
	if len(s) > 100 {
		return field.ErrorList{field.TooLong(p, s, 100)}
	}
	if !IsClusterName(s) {
		return field.ErrorList{field.Invalid(p, s, "must be 1 to 100 letters, digits, hyphens and underscores, starting with a letter or digit (EKS cluster name)")}
	}
	return nil
}

// IsClusterName reports whether s is a valid EKS cluster name.
func IsClusterName(s string) bool {
	if len(s) == 0 || len(s) > 100 || !isAlnum(rune(s[0])) {
		return false
	}
	return IsName(s, 100, "-_")
}

// IsName reports whether s is 1 to maxLen ASCII letters, digits and
// characters of punct: the shape of most AWS resource names (IAM roles,
// Direct Connect gateways, Route 53 Resolver objects, IAM Roles Anywhere
// profiles), each with its own punctuation.
func IsName(s string, maxLen int, punct string) bool {
	return s != "" && len(s) <= maxLen && allIn(s, func(r rune) bool { return isAlnum(r) || strings.ContainsRune(punct, r) })
}

// AccountID checks a 12-digit AWS account ID. Empty is an error.
func AccountID(p *field.Path, s string) field.ErrorList {
	if len(s) != 12 || !allIn(s, isDigit) {
		return field.ErrorList{field.Invalid(p, s, "must be a 12-digit AWS account ID")}
	}
	return nil
}

// ResourceID checks an EC2-style resource ID: the prefix, a hyphen and 8
// or 17 lower-case hexadecimal digits ("vpc-0a1b2c3d4e5f67890").
func ResourceID(p *field.Path, s string, prefix string) field.ErrorList {
	if !IsResourceID(s, prefix) {
		return field.ErrorList{field.Invalid(p, s, "must be an ID of the form "+prefix+"-0123456789abcdef0")}
	}
	return nil
}

// IsResourceID reports whether s is prefix-<8 or 17 hex digits>.
func IsResourceID(s, prefix string) bool {
	hex, ok := strings.CutPrefix(s, prefix+"-")
	return ok && (len(hex) == 8 || len(hex) == 17) && allIn(hex, func(r rune) bool { return isDigit(r) || r >= 'a' && r <= 'f' })
}

func allIn(s string, ok func(rune) bool) bool {
	for _, r := range s {
		if !ok(r) {
			return false
		}
	}
	return true
}

func isLower(r rune) bool { return r >= 'a' && r <= 'z' }
func isDigit(r rune) bool { return r >= '0' && r <= '9' }
func isAlnum(r rune) bool { return isLower(r) || isDigit(r) || r >= 'A' && r <= 'Z' }
