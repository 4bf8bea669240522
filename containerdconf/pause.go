package containerdconf

import ivalidation "github.com/hybridkit/hybridkit/internal/validation"

// DefaultPauseTag is the tag of the EKS pause image the library renders
// into standalone configs (hosts nodeadm does not manage). The EKS AMI
// documentation lists <ECR-ENDPOINT>/eks/pause:3.8 among the images cached
// on its AMIs (awslabs/amazon-eks-ami, doc/usage/container-images). Pass a
// different image where your nodes use one.
const DefaultPauseTag = "3.8"

// NodeadmPauseTag is the tag the hybrid nodeadm writes into its root
// config.toml as the sandbox image: eks/pause:3.5 from the regional EKS
// registry (aws/eks-hybrid internal/aws/ecr/ecr.go GetSandboxImage,
// https://github.com/aws/eks-hybrid/blob/e5f42ca4e2df0eb7d3da467a4a73444d9d952cd0/internal/aws/ecr/ecr.go).
// A drop-in under nodeadm carries the same image, so that carrying the
// complete CRI section (which containerd 1.x needs) changes nothing nodeadm
// chose.
const NodeadmPauseTag = "3.5"

// EKSPauseImage returns the EKS pause image in region's regional ECR
// registry, for example
// 602401143452.dkr.ecr.ap-northeast-2.amazonaws.com/eks/pause:3.8. The
// account that serves EKS images differs per Region; the mapping is that
// of awslabs/amazon-eks-ami templates/al2/runtime/get-ecr-uri.sh (see
// docs.aws.amazon.com/eks/latest/userguide/add-ons-images.html). ok is
// false for a Region the mapping does not know; the image is then built
// with the commercial account, which may not serve that Region.
func EKSPauseImage(region, tag string) (image string, ok bool) {
	if tag == "" {
		tag = DefaultPauseTag
	}
	acct, ok := eksImageAccount(region)
	domain := "amazonaws.com"
	if p, known := ivalidation.RegionPartition(region); known {
		domain = p.DNSSuffix
	}
	return acct + ".dkr.ecr." + region + "." + domain + "/eks/pause:" + tag, ok
}

func eksImageAccount(region string) (string, bool) {
	switch region {
	case "ap-east-1":
		return "800184023465", true
	case "me-south-1":
		return "558608220178", true
	case "cn-north-1":
		return "918309763551", true
	case "cn-northwest-1":
		return "961992271922", true
	case "us-gov-west-1":
		return "013241004608", true
	case "us-gov-east-1":
		return "151742754352", true
	case "af-south-1":
		return "877085696533", true
	case "ap-southeast-3":
		return "296578399912", true
	case "me-central-1":
		return "759879836304", true
	case "eu-south-1":
		return "590381155156", true
	case "eu-south-2":
		return "455263428931", true
	case "eu-central-2":
		return "900612956339", true
	case "ap-south-2":
		return "900889452093", true
	case "ap-southeast-4":
		return "491585149902", true
	case "il-central-1":
		return "066635153087", true
	case "ca-west-1":
		return "761377655185", true
	case "ap-southeast-5":
		return "151610086707", true
	case "ap-southeast-7":
		return "121268973566", true
	case "mx-central-1":
		return "730335286997", true
	case "ap-northeast-1", "ap-northeast-2", "ap-northeast-3", "ap-south-1", "ap-southeast-1", "ap-southeast-2",
		"ca-central-1", "eu-central-1", "eu-north-1", "eu-west-1", "eu-west-2", "eu-west-3", "sa-east-1",
		"us-east-1", "us-east-2", "us-west-1", "us-west-2":
		// The commercial Regions that are not opt-in share one account.
		return "602401143452", true
	}
	return "602401143452", false
}
