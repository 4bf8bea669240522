package validation_test

import (
	"strings"
	"testing"

	"k8s.io/apimachinery/pkg/util/validation/field"

	"github.com/hybridkit/hybridkit/internal/validation"
)

func TestAWSNames(t *testing.T) {
	tests := []struct {
		name  string
		check func(*field.Path, string) field.ErrorList
		in    string
		typ   field.ErrorType // "" means valid
	}{
		{"region", validation.Region, "ap-northeast-2", ""},
		{"region gov", validation.Region, "us-gov-west-1", ""},
		{"region iso", validation.Region, "eu-isoe-west-1", ""},
		{"region sovereign cloud", validation.Region, "eusc-de-east-1", ""},
		{"region isof", validation.Region, "us-isof-south-1", ""},
		{"region mexico", validation.Region, "mx-central-1", ""},
		{"region china", validation.Region, "cn-northwest-1", ""},
		{"region unknown prefix", validation.Region, "xx-east-1", field.ErrorTypeInvalid},
		{"region sovereign other country", validation.Region, "eusc-fr-east-1", field.ErrorTypeInvalid},
		{"region two words", validation.Region, "ap-north-east-2", field.ErrorTypeInvalid},
		{"region empty", validation.Region, "", field.ErrorTypeRequired},
		{"region upper", validation.Region, "AP-northeast-2", field.ErrorTypeInvalid},
		{"region no number", validation.Region, "ap-northeast", field.ErrorTypeInvalid},
		{"region zone", validation.Region, "ap-northeast-2a", field.ErrorTypeInvalid},
		{"region empty word", validation.Region, "ap--2", field.ErrorTypeInvalid},
		{"region three digits", validation.Region, "ap-northeast-123", field.ErrorTypeInvalid},
		{"cluster", validation.ClusterName, "gpu-hybrid_cluster1", ""},
		{"cluster digit first", validation.ClusterName, "1cluster", ""},
		{"cluster empty", validation.ClusterName, "", field.ErrorTypeRequired},
		{"cluster hyphen first", validation.ClusterName, "-x", field.ErrorTypeInvalid},
		{"cluster dot", validation.ClusterName, "a.b", field.ErrorTypeInvalid},
		{"cluster shell", validation.ClusterName, "a;rm", field.ErrorTypeInvalid},
		{"cluster 100", validation.ClusterName, strings.Repeat("a", 100), ""},
		{"cluster 101", validation.ClusterName, strings.Repeat("a", 101), field.ErrorTypeTooLong},
		{"account", validation.AccountID, "111122223333", ""},
		{"account short", validation.AccountID, "11112222333", field.ErrorTypeInvalid},
		{"account letters", validation.AccountID, "11112222333x", field.ErrorTypeInvalid},
		{"vpc short id", vpc, "vpc-0a1b2c3d", ""},
		{"vpc long id", vpc, "vpc-0a1b2c3d4e5f67890", ""},
		{"vpc upper hex", vpc, "vpc-0A1B2C3D", field.ErrorTypeInvalid},
		{"vpc wrong prefix", vpc, "subnet-0a1b2c3d", field.ErrorTypeInvalid},
		{"vpc 9 digits", vpc, "vpc-0a1b2c3d4", field.ErrorTypeInvalid},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			errs := tt.check(field.NewPath("x"), tt.in)
			switch {
			case tt.typ == "" && len(errs) != 0:
				t.Errorf("%q: %v, want valid", tt.in, errs)
			case tt.typ != "" && (len(errs) != 1 || errs[0].Type != tt.typ || errs[0].Field != "x"):
				t.Errorf("%q: %v, want one %s at x", tt.in, errs, tt.typ)
			}
		})
	}
}

func vpc(p *field.Path, s string) field.ErrorList { return validation.ResourceID(p, s, "vpc") }

func TestIsName(t *testing.T) {
	for _, tc := range []struct {
		s     string
		max   int
		punct string
		want  bool
	}{
		{"AmazonEKSHybridNodesRole", 64, "_+=,.@-", true},
		{"role/with/path", 64, "_+=,.@-", false},
		{"gpu hybrid dxgw", 100, " ._-", true},
		{"", 10, "-", false},
		{strings.Repeat("a", 11), 10, "-", false},
		{"é", 10, "-", false},
	} {
		if got := validation.IsName(tc.s, tc.max, tc.punct); got != tc.want {
			t.Errorf("IsName(%q, %d, %q) = %v", tc.s, tc.max, tc.punct, got)
		}
	}
}

func TestRegionPartition(t *testing.T) {
	for region, want := range map[string]validation.Partition{
		"ap-northeast-2": {ID: "aws", DNSSuffix: "amazonaws.com"},
		"eusc-de-east-1": {ID: "aws-eusc", DNSSuffix: "amazonaws.eu"},
		"us-gov-west-1":  {ID: "aws-us-gov", DNSSuffix: "amazonaws.com"},
		"us-isob-east-1": {ID: "aws-iso-b", DNSSuffix: "sc2s.sgov.gov"},
		"us-iso-east-1":  {ID: "aws-iso", DNSSuffix: "c2s.ic.gov"},
		"us-isof-east-1": {ID: "aws-iso-f", DNSSuffix: "csp.hci.ic.gov"},
		"eu-isoe-west-1": {ID: "aws-iso-e", DNSSuffix: "cloud.adc-e.uk"},
		"cn-north-1":     {ID: "aws-cn", DNSSuffix: "amazonaws.com.cn"},
	} {
		if got, ok := validation.RegionPartition(region); !ok || got != want {
			t.Errorf("RegionPartition(%q) = %+v, %v; want %+v", region, got, ok, want)
		}
	}
}

func TestRegionPartitionAllocatesNothing(t *testing.T) {
	if n := testing.AllocsPerRun(100, func() { validation.RegionPartition("ap-northeast-2") }); n != 0 {
		t.Errorf("RegionPartition allocates %v times per call", n)
	}
}
