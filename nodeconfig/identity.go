package nodeconfig

import (
	"fmt"
	"strconv"
	"time"
	"unicode/utf8"

	"k8s.io/apimachinery/pkg/util/validation/field"

	"github.com/hybridkit/hybridkit/internal/shellscript"
	ivalidation "github.com/hybridkit/hybridkit/internal/validation"
)

// CredentialProvider is how hybrid nodes get AWS credentials.
type CredentialProvider string

// Credential providers (EKS User Guide, hybrid-nodes-creds).
const (
	ProviderSSM              CredentialProvider = "ssm"
	ProviderIAMRolesAnywhere CredentialProvider = "iam-roles-anywhere"
)

// Defaults of the AWS-side identity.
const (
	// DefaultRoleName is the role name the EKS User Guide uses.
	DefaultRoleName = "AmazonEKSHybridNodesRole"
	// DefaultInstanceName is what SSM names managed instances registered
	// with the activation; nodeadm then names the node after its mi-… ID.
	DefaultInstanceName = "eks-hybrid-nodes"
	// DefaultSessionSeconds is IAM Roles Anywhere's default session length
	// (CreateProfile durationSeconds: default 3600, 900 to 43200).
	DefaultSessionSeconds = 3600
	// AccessEntryType is the EKS access entry type for hybrid nodes' role
	// (EKS API reference, CreateAccessEntry: type HYBRID_LINUX).
	AccessEntryType = "HYBRID_LINUX"
	// ClusterTagKey tags the SSM activation (and so every managed instance
	// it registers) with the cluster ARN; the role's permission to
	// deregister instances is limited to instances carrying it.
	ClusterTagKey = "EKSClusterARN"
)

// Identity is the AWS side of the nodes' identity: the Hybrid Nodes IAM
// role, its EKS access entry, and the SSM hybrid activation or the IAM
// Roles Anywhere profile that hands out its credentials.
//
// Nothing secret is an input: the activation code and the profile ARN are
// outputs of AWS, which the caller puts into the NodeConfigs afterwards.
type Identity struct {
	ClusterName string `json:"clusterName"`
	Region      string `json:"region"`
	// AccountID is the 12-digit account of the cluster and the role.
	AccountID string             `json:"accountId"`
	Provider  CredentialProvider `json:"provider"`
	// RoleName defaults to AmazonEKSHybridNodesRole.
	RoleName string `json:"roleName,omitempty"`
	// PodIdentity lets the EKS Pod Identity agent on hybrid nodes call
	// eks-auth:AssumeRoleForPodIdentity.
	PodIdentity bool `json:"podIdentity,omitempty"`
	// Activation is required with ProviderSSM and forbidden otherwise.
	Activation *Activation `json:"activation,omitempty"`
	// RolesAnywhere is required with ProviderIAMRolesAnywhere and
	// forbidden otherwise.
	RolesAnywhere *RolesAnywhere `json:"rolesAnywhere,omitempty"`
}

// Activation is the input of `aws ssm create-activation`.
type Activation struct {
	// RegistrationLimit is how many nodes may register: the node count,
	// 1 to 1000 (SSM API reference, CreateActivation).
	RegistrationLimit int `json:"registrationLimit"`
	// Expiration is when the activation stops registering nodes; zero
	// leaves AWS's default of 24 hours. AWS refuses a date more than 30
	// days after the call, which this package cannot check: it does not
	// read the clock.
	Expiration time.Time `json:"expiration,omitzero"`
	// DefaultInstanceName defaults to eks-hybrid-nodes.
	DefaultInstanceName string `json:"defaultInstanceName,omitempty"`
	// Description defaults to "EKS Hybrid Nodes of <cluster>".
	Description string `json:"description,omitempty"`
}

// RolesAnywhere is the IAM Roles Anywhere side: the trust anchor the
// nodes' certificates chain to (created beforehand from the site's CA, see
// TrustAnchor) and the profile that lets them assume the role.
type RolesAnywhere struct {
	// TrustAnchorARN is required: the role trusts only sessions created
	// through it.
	TrustAnchorARN string `json:"trustAnchorArn"`
	// ProfileName defaults to "<cluster>-hybrid-nodes".
	ProfileName string `json:"profileName,omitempty"`
	// SessionSeconds defaults to 3600; 900 to 43200.
	SessionSeconds int `json:"sessionSeconds,omitempty"`
}

// Default fills RoleName, the activation's instance name and description,
// and the profile name and session length. It is idempotent; a nil
// receiver is a no-op.
func (id *Identity) Default() {
	if id == nil {
		return
	}
	if id.RoleName == "" {
		id.RoleName = DefaultRoleName
	}
	if a := id.Activation; a != nil {
		if a.DefaultInstanceName == "" {
			a.DefaultInstanceName = DefaultInstanceName
		}
		if a.Description == "" {
			a.Description = "EKS Hybrid Nodes of " + id.ClusterName
		}
	}
	if r := id.RolesAnywhere; r != nil {
		if r.ProfileName == "" {
			r.ProfileName = id.ClusterName + "-hybrid-nodes"
		}
		if r.SessionSeconds == 0 {
			r.SessionSeconds = DefaultSessionSeconds
		}
	}
}

// defaulted returns a copy of id with Default applied that shares no
// memory Default writes: every entry point reads the identity through it,
// so a zero field means its default and the caller's value never changes.
func (id Identity) defaulted() Identity {
	if id.Activation != nil {
		a := *id.Activation
		id.Activation = &a
	}
	if id.RolesAnywhere != nil {
		r := *id.RolesAnywhere
		id.RolesAnywhere = &r
	}
	id.Default()
	return id
}

// Validate returns nil, or every problem with its JSON path as an
// aggregate of *field.Error (see ValidateAt).
func (id Identity) Validate() error { return ivalidation.ToError("nodeconfig", id.ValidateAt(nil)) }

// ValidateAt is Validate with paths under fp.
func (id Identity) ValidateAt(fp *field.Path) field.ErrorList {
	id = id.defaulted()
	var errs field.ErrorList
	errs = append(errs, ivalidation.ClusterName(fp.Child("clusterName"), id.ClusterName)...)
	errs = append(errs, ivalidation.Region(fp.Child("region"), id.Region)...)
	errs = append(errs, ivalidation.AccountID(fp.Child("accountId"), id.AccountID)...)
	if id.RoleName != "" && !validRoleName(id.RoleName) {
		errs = append(errs, field.Invalid(fp.Child("roleName"), id.RoleName, "must be 1 to 64 letters, digits and +=,.@_- (IAM role name)"))
	}
	ap, rp := fp.Child("activation"), fp.Child("rolesAnywhere")
	switch id.Provider {
	case ProviderSSM:
		if id.Activation == nil {
			errs = append(errs, field.Required(ap, "the SSM hybrid activation"))
		}
		if id.RolesAnywhere != nil {
			errs = append(errs, field.Forbidden(rp, "the provider is ssm"))
		}
	case ProviderIAMRolesAnywhere:
		if id.RolesAnywhere == nil {
			errs = append(errs, field.Required(rp, "the trust anchor and profile"))
		}
		if id.Activation != nil {
			errs = append(errs, field.Forbidden(ap, "the provider is iam-roles-anywhere"))
		}
	default:
		errs = append(errs, field.NotSupported(fp.Child("provider"), id.Provider, []CredentialProvider{ProviderSSM, ProviderIAMRolesAnywhere}))
	}
	if a := id.Activation; a != nil {
		if a.RegistrationLimit < 1 || a.RegistrationLimit > 1000 {
			errs = append(errs, field.Invalid(ap.Child("registrationLimit"), a.RegistrationLimit, "must be 1 to 1000 (the number of nodes that will register)"))
		}
		if a.DefaultInstanceName != "" && (len(a.DefaultInstanceName) > 256 || len(ivalidation.PlainText(nil, a.DefaultInstanceName)) > 0) {
			errs = append(errs, field.Invalid(ap.Child("defaultInstanceName"), a.DefaultInstanceName, "must be at most 256 characters without quotes or control characters"))
		}
		if utf8.RuneCountInString(a.Description) > 256 || len(ivalidation.PlainText(nil, a.Description)) > 0 {
			errs = append(errs, field.Invalid(ap.Child("description"), a.Description, "must be at most 256 characters without quotes or control characters"))
		}
	}
	if r := id.RolesAnywhere; r != nil {
		if m := rolesAnywhereRE.FindStringSubmatch(r.TrustAnchorARN); m == nil || m[3] != "trust-anchor" {
			errs = append(errs, field.Invalid(rp.Child("trustAnchorArn"), r.TrustAnchorARN, "must be an IAM Roles Anywhere trust anchor ARN (arn:aws:rolesanywhere:<region>:<account>:trust-anchor/<id>)"))
		}
		if r.ProfileName != "" && !validProfileName(r.ProfileName) {
			errs = append(errs, field.Invalid(rp.Child("profileName"), r.ProfileName, "must be 1 to 255 letters, digits, spaces and _-"))
		}
		if r.SessionSeconds != 0 && (r.SessionSeconds < 900 || r.SessionSeconds > 43200) {
			errs = append(errs, field.Invalid(rp.Child("sessionSeconds"), r.SessionSeconds, "must be 900 to 43200 (IAM Roles Anywhere CreateProfile durationSeconds)"))
		}
	}
	return errs
}

// validRoleName: IAM role names are 1 to 64 of [\w+=,.@-] (IAM API
// reference, CreateRole RoleName).
func validRoleName(s string) bool { return ivalidation.IsName(s, 64, "_+=,.@-") }

// validProfileName: IAM Roles Anywhere resource names are 1 to 255 of
// [ a-zA-Z0-9-_] (IAM Roles Anywhere API reference, CreateProfile name).
func validProfileName(s string) bool { return ivalidation.IsName(s, 255, " -_") }

// Partition returns the AWS partition of a Region, which ARNs and
// managed-policy ARNs carry: aws-cn for cn-*, aws-us-gov for us-gov-*,
// aws-eusc for the European Sovereign Cloud (eusc-de-*), the ISO
// partitions for theirs, aws for the rest (the AWS SDKs' partition table).
func Partition(region string) string {
	if p, ok := ivalidation.RegionPartition(region); ok {
		return p.ID
	}
	return "aws"
}

// ClusterARN returns arn:<partition>:eks:<region>:<account>:cluster/<name>.
func (id Identity) ClusterARN() string {
	return "arn:" + Partition(id.Region) + ":eks:" + id.Region + ":" + id.AccountID + ":cluster/" + id.ClusterName
}

// RoleARN returns the Hybrid Nodes role's ARN (RoleName or the default).
func (id Identity) RoleARN() string {
	return "arn:" + Partition(id.Region) + ":iam::" + id.AccountID + ":role/" + id.roleName()
}

func (id Identity) roleName() string {
	if id.RoleName == "" {
		return DefaultRoleName
	}
	return id.RoleName
}

// HybridNodesRole is the Hybrid Nodes IAM role as data: what `aws iam
// create-role`, `put-role-policy` and `attach-role-policy` (or the SDK's
// CreateRole, PutRolePolicy and AttachRolePolicy) take.
type HybridNodesRole struct {
	Name string `json:"name"`
	ARN  string `json:"arn"`
	// TrustPolicy lets SSM or IAM Roles Anywhere assume the role.
	TrustPolicy PolicyDocument `json:"trustPolicy"`
	// InlinePolicyName names Permissions on the role.
	InlinePolicyName string         `json:"inlinePolicyName"`
	Permissions      PolicyDocument `json:"permissions"`
	// ManagedPolicyARNs are attached: image pulls from ECR, and for SSM
	// the managed-instance core policy.
	ManagedPolicyARNs []string `json:"managedPolicyArns"`
}

// Role returns the Hybrid Nodes role for a valid identity (after
// Default), or the validation error.
//
// Trust: with SSM, ssm.amazonaws.com limited to the account's SSM
// resources (aws:SourceAccount, aws:SourceArn); with IAM Roles Anywhere,
// rolesanywhere.amazonaws.com limited to the trust anchor, and sts:AssumeRole
// only when the session name equals the certificate's CN — which is why a
// node's nodeName must be its certificate's CN.
//
// Permissions: eks:DescribeCluster and eks:ListAccessEntries on the cluster
// (nodeadm reads the cluster's endpoint, CA and remote networks, and newer
// nodeadm checks the access entry during init); for SSM,
// ssm:DescribeInstanceInformation, and ssm:DeregisterManagedInstance on
// managed instances tagged with this cluster (nodeadm uninstall); with
// PodIdentity, eks-auth:AssumeRoleForPodIdentity on the cluster. Managed:
// AmazonEC2ContainerRegistryPullOnly, and AmazonSSMManagedInstanceCore for
// SSM. Source: EKS User Guide, hybrid-nodes-creds ("Prepare credentials
// for hybrid nodes").
func (id Identity) Role() (HybridNodesRole, error) {
	id = id.defaulted()
	if err := id.Validate(); err != nil {
		return HybridNodesRole{}, err
	}
	part := Partition(id.Region)
	cluster := id.ClusterARN()
	r := HybridNodesRole{
		Name:              id.RoleName,
		ARN:               id.RoleARN(),
		InlinePolicyName:  "EKSHybridNodes",
		ManagedPolicyARNs: []string{"arn:" + part + ":iam::aws:policy/AmazonEC2ContainerRegistryPullOnly"},
	}
	perms := []PolicyStatement{{
		Sid: "DescribeCluster", Effect: "Allow",
		Action:   []string{"eks:DescribeCluster", "eks:ListAccessEntries"},
		Resource: []string{cluster},
	}}
	switch id.Provider {
	case ProviderSSM:
		r.TrustPolicy = PolicyDocument{Version: PolicyVersion, Statement: []PolicyStatement{{
			Sid: "SSMHybridActivation", Effect: "Allow",
			Principal: &ServicePrincipal{Service: "ssm.amazonaws.com"},
			Action:    []string{"sts:AssumeRole"},
			Condition: map[string]map[string]string{
				"StringEquals": {"aws:SourceAccount": id.AccountID},
				"ArnEquals":    {"aws:SourceArn": "arn:" + part + ":ssm:" + id.Region + ":" + id.AccountID + ":*"},
			},
		}}}
		perms = append(perms,
			PolicyStatement{Sid: "DescribeManagedInstances", Effect: "Allow", Action: []string{"ssm:DescribeInstanceInformation"}, Resource: []string{"*"}},
			PolicyStatement{
				Sid: "DeregisterOwnManagedInstances", Effect: "Allow",
				Action:    []string{"ssm:DeregisterManagedInstance"},
				Resource:  []string{"arn:" + part + ":ssm:" + id.Region + ":" + id.AccountID + ":managed-instance/*"},
				Condition: map[string]map[string]string{"StringEquals": {"ssm:resourceTag/" + ClusterTagKey: cluster}},
			})
		r.ManagedPolicyARNs = append(r.ManagedPolicyARNs, "arn:"+part+":iam::aws:policy/AmazonSSMManagedInstanceCore")
	case ProviderIAMRolesAnywhere:
		anchor := map[string]string{"aws:SourceArn": id.RolesAnywhere.TrustAnchorARN}
		r.TrustPolicy = PolicyDocument{Version: PolicyVersion, Statement: []PolicyStatement{
			{
				Sid: "RolesAnywhereSessionTags", Effect: "Allow",
				Principal: &ServicePrincipal{Service: "rolesanywhere.amazonaws.com"},
				Action:    []string{"sts:TagSession", "sts:SetSourceIdentity"},
				Condition: map[string]map[string]string{"ArnEquals": anchor},
			},
			{
				Sid: "RolesAnywhereSessionNameIsCertificateCN", Effect: "Allow",
				Principal: &ServicePrincipal{Service: "rolesanywhere.amazonaws.com"},
				Action:    []string{"sts:AssumeRole"},
				Condition: map[string]map[string]string{
					"ArnEquals": anchor,
					// The policy variable is text for IAM, not for Go or the
					// shell: it reaches the document unexpanded.
					"StringEquals": {"sts:RoleSessionName": "${aws:PrincipalTag/x509Subject/CN}"},
				},
			},
		}}
	}
	if id.PodIdentity {
		perms = append(perms, PolicyStatement{Sid: "PodIdentity", Effect: "Allow", Action: []string{"eks-auth:AssumeRoleForPodIdentity"}, Resource: []string{cluster}})
	}
	r.Permissions = PolicyDocument{Version: PolicyVersion, Statement: perms}
	return r, nil
}

// AccessEntry is the input of `aws eks create-access-entry` for the role.
type AccessEntry struct {
	ClusterName  string `json:"clusterName"`
	PrincipalARN string `json:"principalArn"`
	Type         string `json:"type"`
}

// AccessEntry returns the role's EKS access entry: type HYBRID_LINUX, which
// puts the nodes in system:nodes and takes no Kubernetes groups or access
// policies. The cluster's authentication mode must be API or
// API_AND_CONFIG_MAP.
func (id Identity) AccessEntry() AccessEntry {
	return AccessEntry{ClusterName: id.ClusterName, PrincipalARN: id.RoleARN(), Type: AccessEntryType}
}

// Tag is an AWS resource tag.
type Tag struct {
	Key   string `json:"Key"`
	Value string `json:"Value"`
}

// ActivationInput is the CreateActivation request, shaped like the SSM
// API (and `aws ssm create-activation --cli-input-json`).
type ActivationInput struct {
	Description         string     `json:"Description"`
	DefaultInstanceName string     `json:"DefaultInstanceName"`
	IamRole             string     `json:"IamRole"`
	RegistrationLimit   int        `json:"RegistrationLimit"`
	ExpirationDate      *time.Time `json:"ExpirationDate,omitempty"`
	Tags                []Tag      `json:"Tags"`
}

// ActivationInput returns the SSM activation request for an SSM identity
// (after Default): the role by name, the registration limit, the expiry,
// and the EKSClusterARN tag that the role's deregister permission keys on.
// It returns an error for an invalid identity or one that does not use
// SSM.
func (id Identity) ActivationInput() (ActivationInput, error) {
	id = id.defaulted()
	if err := id.Validate(); err != nil {
		return ActivationInput{}, err
	}
	if id.Provider != ProviderSSM {
		return ActivationInput{}, fmt.Errorf("nodeconfig: provider %q has no SSM activation", id.Provider)
	}
	a := id.Activation
	in := ActivationInput{
		Description:         a.Description,
		DefaultInstanceName: a.DefaultInstanceName,
		IamRole:             id.RoleName,
		RegistrationLimit:   a.RegistrationLimit,
		Tags:                []Tag{{Key: ClusterTagKey, Value: id.ClusterARN()}},
	}
	if !a.Expiration.IsZero() {
		t := a.Expiration.UTC()
		in.ExpirationDate = &t
	}
	return in, nil
}

// IdentityScript writes the AWS CLI commands for the identity: create the
// role with its trust policy, put the inline policy, attach the managed
// policies, create the HYBRID_LINUX access entry, then either create the
// SSM activation or the IAM Roles Anywhere profile.
//
// The activation code is what create-activation prints; the script never
// holds one. Store it as a secret and pass it to NewSSM. The profile ARN
// create-profile prints goes into each IAMRolesAnywhere NodeConfig.
func IdentityScript(id Identity) ([]byte, error) {
	id = id.defaulted()
	role, err := id.Role()
	if err != nil {
		return nil, err
	}
	trust, err := role.TrustPolicy.JSON()
	if err != nil {
		return nil, err
	}
	perms, err := role.Permissions.JSON()
	if err != nil {
		return nil, err
	}
	L, Ls := shellscript.Lit, shellscript.Lits
	region := Ls("--region", id.Region)
	s := shellscript.New("Identity of the hybrid nodes of " + id.ClusterName + " (" + string(id.Provider) + "): the Hybrid Nodes IAM role, its access entry, and its credential source.")
	s.Blank()
	s.Comment("The role and what it may do (EKS User Guide, hybrid-nodes-creds).")
	s.Run(Ls("aws", "iam", "create-role", "--role-name", role.Name, "--description", "EKS Hybrid Nodes of "+id.ClusterName, "--assume-role-policy-document", string(trust))...)
	s.Run(Ls("aws", "iam", "put-role-policy", "--role-name", role.Name, "--policy-name", role.InlinePolicyName, "--policy-document", string(perms))...)
	for _, arn := range role.ManagedPolicyARNs {
		s.Run(Ls("aws", "iam", "attach-role-policy", "--role-name", role.Name, "--policy-arn", arn)...)
	}
	s.Blank()
	s.Comment("Let the role join the cluster as a node (authentication mode API or API_AND_CONFIG_MAP).")
	ae := id.AccessEntry()
	s.Run(append(Ls("aws", "eks", "create-access-entry", "--cluster-name", ae.ClusterName, "--principal-arn", ae.PrincipalARN, "--type", ae.Type), region...)...)
	s.Blank()
	switch id.Provider {
	case ProviderSSM:
		in, err := id.ActivationInput()
		if err != nil {
			return nil, err
		}
		s.Comment("SSM hybrid activation for " + strconv.Itoa(in.RegistrationLimit) + " nodes. It prints the activation ID and code:\nthe code is shown only once; keep it in your secret store and put both in the NodeConfigs.")
		args := Ls("aws", "ssm", "create-activation", "--default-instance-name", in.DefaultInstanceName, "--description", in.Description,
			"--iam-role", in.IamRole, "--registration-limit", strconv.Itoa(in.RegistrationLimit))
		if in.ExpirationDate != nil {
			args = append(args, L("--expiration-date"), L(in.ExpirationDate.Format(time.RFC3339)))
		}
		args = append(args, L("--tags"), L("Key="+ClusterTagKey+",Value="+id.ClusterARN()))
		s.Run(append(append(args, Ls("--query", "{ActivationId: ActivationId, ActivationCode: ActivationCode}", "--output", "json")...), region...)...)
	case ProviderIAMRolesAnywhere:
		r := id.RolesAnywhere
		s.Comment("IAM Roles Anywhere profile: certificates from the trust anchor may assume the role for " + strconv.Itoa(r.SessionSeconds) + " s.\nIt prints the profile ARN for the NodeConfigs (iamRolesAnywhere.profileArn).")
		s.Run(append(Ls("aws", "rolesanywhere", "create-profile", "--name", r.ProfileName, "--role-arns", role.ARN,
			"--duration-seconds", strconv.Itoa(r.SessionSeconds), "--enabled", "--query", "profile.profileArn", "--output", "text"), region...)...)
	}
	return s.Bytes()
}
