package awssdk

import (
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/rolesanywhere"
	ratypes "github.com/aws/aws-sdk-go-v2/service/rolesanywhere/types"

	"github.com/hybridkit/hybridkit/nodeconfig"
)

// TrustAnchorInput returns the IAM Roles Anywhere CreateTrustAnchor
// request for the site's CA: a certificate bundle (source type
// CERTIFICATE_BUNDLE) or an AWS Private CA (AWS_ACM_PCA), enabled. The
// anchor is created once, before the plan, because the Hybrid Nodes role's
// trust policy names its ARN. An invalid anchor returns its validation
// error.
func TrustAnchorInput(t nodeconfig.TrustAnchor) (*rolesanywhere.CreateTrustAnchorInput, error) {
	if err := t.Validate(); err != nil {
		return nil, err
	}
	src := &ratypes.Source{SourceType: ratypes.TrustAnchorTypeCertificateBundle, SourceData: &ratypes.SourceDataMemberX509CertificateData{Value: t.CertificateBundle}}
	if t.ACMPCAARN != "" {
		src = &ratypes.Source{SourceType: ratypes.TrustAnchorTypeAwsAcmPca, SourceData: &ratypes.SourceDataMemberAcmPcaArn{Value: t.ACMPCAARN}}
	}
	return &rolesanywhere.CreateTrustAnchorInput{Name: aws.String(t.Name), Source: src, Enabled: aws.Bool(true)}, nil
}
