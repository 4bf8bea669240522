package nodeconfig

import (
	"bytes"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"regexp"
	"strconv"

	"k8s.io/apimachinery/pkg/util/validation/field"

	"github.com/hybridkit/hybridkit/internal/shellscript"
	ivalidation "github.com/hybridkit/hybridkit/internal/validation"
)

// TrustAnchor is the IAM Roles Anywhere trust anchor: the CA that issues
// the nodes' certificates. It is created once, before the Identity whose
// role trusts it (the role's trust policy names the anchor's ARN, which
// AWS assigns).
type TrustAnchor struct {
	Name   string `json:"name"`
	Region string `json:"region"`
	// CertificateBundle is the PEM of the issuing CA certificate(s)
	// (source type CERTIFICATE_BUNDLE, at most 8000 characters: IAM Roles
	// Anywhere API reference, SourceData). Exactly one of
	// CertificateBundle and ACMPCAARN is set.
	CertificateBundle string `json:"certificateBundle,omitempty"`
	// ACMPCAARN is an AWS Private CA (source type AWS_ACM_PCA).
	ACMPCAARN string `json:"acmPcaArn,omitempty"`
}

// acmPCAARNRE matches arn:<partition>:acm-pca:<region>:<account>:certificate-authority/<uuid>.
var acmPCAARNRE = regexp.MustCompile(`^arn:aws(-[a-z]+)*:acm-pca:[a-z]{2,4}(-[a-z]+)+-[0-9]{1,2}:[0-9]{12}:certificate-authority/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$`)

// Validate returns nil or every problem with its JSON path: the name
// (1 to 255 letters, digits, spaces, _ and -), the Region, and exactly one
// source — a bundle must hold only CA certificates that parse.
func (t TrustAnchor) Validate() error { return ivalidation.ToError("nodeconfig", t.ValidateAt(nil)) }

// ValidateAt is Validate with paths under fp.
func (t TrustAnchor) ValidateAt(fp *field.Path) field.ErrorList {
	var errs field.ErrorList
	if !validProfileName(t.Name) {
		errs = append(errs, field.Invalid(fp.Child("name"), t.Name, "must be 1 to 255 letters, digits, spaces and _-"))
	}
	errs = append(errs, ivalidation.Region(fp.Child("region"), t.Region)...)
	switch {
	case t.CertificateBundle == "" && t.ACMPCAARN == "":
		errs = append(errs, field.Required(fp.Child("certificateBundle"), "the PEM of the CA that issues the nodes' certificates, or acmPcaArn"))
	case t.CertificateBundle != "" && t.ACMPCAARN != "":
		errs = append(errs, field.Forbidden(fp.Child("acmPcaArn"), "give either certificateBundle or acmPcaArn"))
	case t.ACMPCAARN != "":
		if !acmPCAARNRE.MatchString(t.ACMPCAARN) {
			errs = append(errs, field.Invalid(fp.Child("acmPcaArn"), t.ACMPCAARN, "must be an AWS Private CA ARN (arn:aws:acm-pca:<region>:<account>:certificate-authority/<id>)"))
		}
	default:
		errs = append(errs, checkCABundle(fp.Child("certificateBundle"), t.CertificateBundle)...)
	}
	return errs
}

// checkCABundle parses every PEM block: each must be a CERTIFICATE that
// x509 parses and that is a CA, with nothing else in the text.
func checkCABundle(p *field.Path, bundle string) field.ErrorList {
	if len(bundle) > 8000 {
		return field.ErrorList{field.TooLong(p, "", 8000)}
	}
	rest := []byte(bundle)
	n := 0
	for {
		var block *pem.Block
		block, rest = pem.Decode(rest)
		if block == nil {
			break
		}
		n++
		if block.Type != "CERTIFICATE" {
			return field.ErrorList{field.Invalid(p, block.Type, "must hold only CERTIFICATE blocks (never a private key)")}
		}
		cert, err := x509.ParseCertificate(block.Bytes)
		if err != nil {
			return field.ErrorList{field.Invalid(p, "", "certificate "+strconv.Itoa(n)+" does not parse: "+err.Error())}
		}
		if !cert.BasicConstraintsValid || !cert.IsCA {
			return field.ErrorList{field.Invalid(p, cert.Subject.String(), "is not a CA certificate: a trust anchor is the CA that issues the nodes' certificates")}
		}
	}
	switch {
	case n == 0:
		return field.ErrorList{field.Invalid(p, "", "holds no PEM CERTIFICATE block")}
	case len(bytes.TrimSpace(rest)) > 0:
		return field.ErrorList{field.Invalid(p, "", "has text after the last PEM block")}
	}
	return nil
}

// TrustAnchorScript writes `aws rolesanywhere create-trust-anchor` for t,
// with the source passed as JSON. It prints the anchor's ARN, which the
// Identity (RolesAnywhere.TrustAnchorARN) and the NodeConfigs need. An
// invalid anchor returns the validation error and no script.
func TrustAnchorScript(t TrustAnchor) ([]byte, error) {
	if err := t.Validate(); err != nil {
		return nil, err
	}
	type sourceData struct {
		X509CertificateData string `json:"x509CertificateData,omitempty"`
		AcmPcaArn           string `json:"acmPcaArn,omitempty"`
	}
	src := struct {
		SourceType string     `json:"sourceType"`
		SourceData sourceData `json:"sourceData"`
	}{SourceType: "CERTIFICATE_BUNDLE", SourceData: sourceData{X509CertificateData: t.CertificateBundle}}
	if t.ACMPCAARN != "" {
		src.SourceType, src.SourceData = "AWS_ACM_PCA", sourceData{AcmPcaArn: t.ACMPCAARN}
	}
	js, err := json.Marshal(src)
	if err != nil {
		return nil, err
	}
	s := shellscript.New("IAM Roles Anywhere trust anchor " + t.Name + ": the CA of the hybrid nodes' certificates.\nIt prints the trust anchor ARN for the Identity and the NodeConfigs.")
	s.Run(shellscript.Lits("aws", "rolesanywhere", "create-trust-anchor", "--name", t.Name, "--source", string(js), "--enabled",
		"--query", "trustAnchor.trustAnchorArn", "--output", "text", "--region", t.Region)...)
	return s.Bytes()
}

// CheckCertificate checks a node's end-entity certificate (PEM, the file
// at CertificatePath) against the NodeConfig: it must parse, must not be a
// CA, and its subject CN must equal NodeName — the Hybrid Nodes role's
// trust policy allows sts:AssumeRole only when the session name (nodeadm
// uses NodeName) equals ${aws:PrincipalTag/x509Subject/CN}. It returns nil
// when the certificate fits.
func (ira IAMRolesAnywhere) CheckCertificate(certPEM []byte) error {
	block, _ := pem.Decode(certPEM)
	if block == nil || block.Type != "CERTIFICATE" {
		return fmt.Errorf("nodeconfig: no PEM CERTIFICATE block in the node certificate")
	}
	cert, err := x509.ParseCertificate(block.Bytes)
	if err != nil {
		return fmt.Errorf("nodeconfig: node certificate: %w", err)
	}
	if cert.IsCA {
		return fmt.Errorf("nodeconfig: the node certificate %q is a CA certificate; nodes authenticate with end-entity certificates", cert.Subject.CommonName)
	}
	if cert.Subject.CommonName != ira.NodeName {
		return fmt.Errorf("nodeconfig: certificate CN %q differs from nodeName %q: the role's trust policy requires the session name (nodeName) to equal the CN", cert.Subject.CommonName, ira.NodeName)
	}
	return nil
}
