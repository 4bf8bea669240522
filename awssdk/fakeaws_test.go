package awssdk_test

import (
	"encoding/json"
	"encoding/xml"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/directconnect"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/eks"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/rolesanywhere"
	"github.com/aws/aws-sdk-go-v2/service/route53resolver"
	"github.com/aws/aws-sdk-go-v2/service/ssm"

	"github.com/hybridkit/hybridkit/awssdk"
)

// call is one request the fake AWS received, after the SDK client
// validated and serialised it.
type call struct {
	// Op is "<service>:<Operation>" ("ec2:CreateRoute").
	Op string
	// Form holds the query-protocol parameters (EC2, IAM); JSON the body
	// of the JSON protocols (EKS, SSM, Route 53 Resolver, Direct Connect,
	// IAM Roles Anywhere).
	Form url.Values
	JSON map[string]any
	// Status is what the fake answered.
	Status int
}

// fakeAWS answers the calls Apply makes the way AWS does, on the wire:
// EC2's and IAM's query protocols with XML, the JSON 1.1 protocol of SSM,
// Route 53 Resolver and Direct Connect (X-Amz-Target), and the REST-JSON
// of EKS and IAM Roles Anywhere. It keeps what it created, so a second
// Apply finds it, and answers AWS's "already exists" error codes.
type fakeAWS struct {
	t  *testing.T // nil in examples
	mu sync.Mutex
	// calls in order.
	calls []call
	// created counts resources created.
	created int
	// failOp answers the operation with an AccessDenied error.
	failOp string

	remoteNetworks any
	kinds          map[string][]map[string]string // kind → resources
	keys           map[string]bool                // resources known only by key
	policies       map[string]string              // role/policy → document
}

func newFakeAWS(t *testing.T) (*fakeAWS, awssdk.Clients) {
	f, clients, stop := startFakeAWS()
	f.t = t
	t.Cleanup(stop)
	return f, clients
}

// startFakeAWS starts the fake and returns SDK clients that call it, with
// static credentials and no retries; stop closes it.
func startFakeAWS() (f *fakeAWS, clients awssdk.Clients, stop func()) {
	f = &fakeAWS{kinds: map[string][]map[string]string{}, keys: map[string]bool{}, policies: map[string]string{}}
	srv := httptest.NewServer(f)
	cfg := aws.Config{
		Region:      "ap-northeast-2",
		Credentials: credentials.NewStaticCredentialsProvider("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG", ""),
		HTTPClient:  srv.Client(),
		Retryer:     func() aws.Retryer { return aws.NopRetryer{} },
	}
	base := aws.String(srv.URL)
	return f, awssdk.Clients{
		EKS:             eks.NewFromConfig(cfg, func(o *eks.Options) { o.BaseEndpoint = base }),
		EC2:             ec2.NewFromConfig(cfg, func(o *ec2.Options) { o.BaseEndpoint = base }),
		DirectConnect:   directconnect.NewFromConfig(cfg, func(o *directconnect.Options) { o.BaseEndpoint = base }),
		IAM:             iam.NewFromConfig(cfg, func(o *iam.Options) { o.BaseEndpoint = base }),
		SSM:             ssm.NewFromConfig(cfg, func(o *ssm.Options) { o.BaseEndpoint = base }),
		RolesAnywhere:   rolesanywhere.NewFromConfig(cfg, func(o *rolesanywhere.Options) { o.BaseEndpoint = base }),
		Route53Resolver: route53resolver.NewFromConfig(cfg, func(o *route53resolver.Options) { o.BaseEndpoint = base }),
		PollInterval:    1,
		MaxPolls:        3,
	}, srv.Close
}

// ops returns the operations received, in order.
func (f *fakeAWS) ops() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []string
	for _, c := range f.calls {
		out = append(out, c.Op)
	}
	return out
}

func (f *fakeAWS) callsOf(op string) []call {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []call
	for _, c := range f.calls {
		if c.Op == op {
			out = append(out, c)
		}
	}
	return out
}

// add stores a resource and returns its ID.
func (f *fakeAWS) add(kind, prefix string, attrs map[string]string) string {
	f.created++
	id := prefix + fmt.Sprintf("%017x", len(f.kinds[kind])+1)
	if strings.HasSuffix(prefix, "-8a04-") {
		id = prefix + fmt.Sprintf("%012x", len(f.kinds[kind])+1) // a UUID
	}
	attrs["id"] = id
	f.kinds[kind] = append(f.kinds[kind], attrs)
	return id
}

// find returns the resources of a kind whose attributes hold every given
// value (an attribute given several values matches any of them).
func (f *fakeAWS) find(kind string, where map[string][]string) []map[string]string {
	var out []map[string]string
	for _, r := range f.kinds[kind] {
		ok := true
		for k, vs := range where {
			if !slices.Contains(vs, r[k]) {
				ok = false
			}
		}
		if ok {
			out = append(out, r)
		}
	}
	return out
}

// once stores a key and reports whether it was new.
func (f *fakeAWS) once(key string) bool {
	if f.keys[key] {
		return false
	}
	f.keys[key] = true
	f.created++
	return true
}

type reply struct {
	status int
	// code is an AWS error code; body the answer otherwise (XML for the
	// query protocols, JSON-encoded for the others).
	code string
	body any
}

func (f *fakeAWS) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	defer f.mu.Unlock()
	raw, _ := io.ReadAll(r.Body)
	c := call{}
	var protocol string
	switch target := r.Header.Get("X-Amz-Target"); {
	case target != "":
		svc, op, _ := strings.Cut(target, ".")
		c.Op = map[string]string{"AmazonSSM": "ssm", "Route53Resolver": "route53resolver", "OvertureService": "directconnect"}[svc] + ":" + op
		protocol = "json"
		_ = json.Unmarshal(raw, &c.JSON)
	case strings.HasPrefix(r.URL.Path, "/clusters/"), strings.HasPrefix(r.URL.Path, "/profiles"), strings.HasPrefix(r.URL.Path, "/trustanchors"):
		c.Op = restOperation(r.Method, r.URL.Path)
		protocol = "rest"
		_ = json.Unmarshal(raw, &c.JSON)
	default:
		form, err := url.ParseQuery(string(raw))
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		c.Form = form
		protocol = "ec2"
		svc := "ec2"
		if form.Get("Version") == "2010-05-08" {
			protocol, svc = "iam", "iam"
		}
		c.Op = svc + ":" + form.Get("Action")
	}
	var rep reply
	if c.Op == f.failOp {
		rep = reply{status: 403, code: "AccessDenied"}
	} else {
		rep = f.answer(c, r.URL.Path)
	}
	if rep.status == 0 {
		rep.status = 200
	}
	c.Status = rep.status
	f.calls = append(f.calls, c)
	write(w, protocol, c.Op, rep)
}

func restOperation(method, path string) string {
	parts := strings.Split(strings.Trim(path, "/"), "/")
	switch {
	case parts[0] == "profiles" && method == http.MethodPost:
		return "rolesanywhere:CreateProfile"
	case parts[0] == "profiles":
		return "rolesanywhere:ListProfiles"
	case parts[0] == "trustanchors" && method == http.MethodPost:
		return "rolesanywhere:CreateTrustAnchor"
	case len(parts) == 2 && method == http.MethodGet:
		return "eks:DescribeCluster"
	case len(parts) == 3 && parts[2] == "update-config":
		return "eks:UpdateClusterConfig"
	case len(parts) == 3 && parts[2] == "access-entries":
		return "eks:CreateAccessEntry"
	}
	return "unknown:" + method + " " + path
}

// ec2Filters reads Filter.N.Name and Filter.N.Value.M.
func ec2Filters(form url.Values) map[string][]string {
	out := map[string][]string{}
	for i := 1; form.Has("Filter." + strconv.Itoa(i) + ".Name"); i++ {
		p := "Filter." + strconv.Itoa(i)
		for j := 1; form.Has(p + ".Value." + strconv.Itoa(j)); j++ {
			out[form.Get(p+".Name")] = append(out[form.Get(p+".Name")], form.Get(p+".Value."+strconv.Itoa(j)))
		}
	}
	return out
}

// resolverFilters reads Route 53 Resolver's Filters.
func resolverFilters(body map[string]any) map[string][]string {
	out := map[string][]string{}
	fs, _ := body["Filters"].([]any)
	for _, x := range fs {
		m := x.(map[string]any)
		for _, v := range m["Values"].([]any) {
			out[m["Name"].(string)] = append(out[m["Name"].(string)], v.(string))
		}
	}
	return out
}

func str(m map[string]any, k string) string { s, _ := m[k].(string); return s }

func items(tag string, rs []map[string]string, fields func(map[string]string) string) string {
	var b strings.Builder
	b.WriteString("<" + tag + ">")
	for _, r := range rs {
		b.WriteString("<item>" + fields(r) + "</item>")
	}
	b.WriteString("</" + tag + ">")
	return b.String()
}

func el(tag, value string) string {
	var b strings.Builder
	_ = xml.EscapeText(&b, []byte(value))
	return "<" + tag + ">" + b.String() + "</" + tag + ">"
}

// answer is the fake's AWS.
func (f *fakeAWS) answer(c call, path string) reply {
	form, body := c.Form, c.JSON
	switch c.Op {
	case "eks:DescribeCluster":
		cl := map[string]any{"name": strings.TrimPrefix(path, "/clusters/"), "resourcesVpcConfig": map[string]any{"clusterSecurityGroupId": "sg-0c1a2b3c4d5e6f708"}}
		if f.remoteNetworks != nil {
			cl["remoteNetworkConfig"] = f.remoteNetworks
		}
		return reply{body: map[string]any{"cluster": cl}}
	case "eks:UpdateClusterConfig":
		f.remoteNetworks = body["remoteNetworkConfig"]
		return reply{body: map[string]any{"update": map[string]any{"id": "u-1", "status": "InProgress", "type": "RemoteNetworkConfigUpdate"}}}
	case "eks:CreateAccessEntry":
		if !f.once("access-entry/" + str(body, "principalArn")) {
			return reply{status: 409, code: "ResourceInUseException"}
		}
		return reply{body: map[string]any{"accessEntry": map[string]any{"principalArn": str(body, "principalArn"), "type": str(body, "type")}}}

	case "ec2:DescribeTransitGateways":
		where := ec2Filters(form)
		if id := form.Get("TransitGatewayIds.1"); id != "" {
			where["id"] = []string{id}
		}
		delete(where, "state")
		if f.t != nil && (len(where) > 1 || len(where) == 1 && where["id"] == nil) {
			f.t.Errorf("DescribeTransitGateways filters %v: AWS documents none but state and the IDs", where)
		}
		rs := f.find("tgw", where)
		return reply{body: "<DescribeTransitGatewaysResponse>" + items("transitGatewaySet", rs, func(r map[string]string) string {
			return el("transitGatewayId", r["id"]) + el("state", "available") + "<tagSet><item>" + el("key", "Name") + el("value", r["tag:Name"]) + "</item></tagSet>"
		}) + "</DescribeTransitGatewaysResponse>"}
	case "ec2:CreateTransitGateway":
		id := f.add("tgw", "tgw-", map[string]string{"tag:Name": form.Get("TagSpecification.1.Tag.1.Value")})
		return reply{body: "<CreateTransitGatewayResponse><transitGateway>" + el("transitGatewayId", id) + el("state", "pending") + "</transitGateway></CreateTransitGatewayResponse>"}
	case "ec2:DescribeTransitGatewayVpcAttachments":
		where := ec2Filters(form)
		delete(where, "state")
		if id := form.Get("TransitGatewayAttachmentIds.1"); id != "" {
			where["id"] = []string{id}
		}
		rs := f.find("attachment", where)
		return reply{body: "<DescribeTransitGatewayVpcAttachmentsResponse>" + items("transitGatewayVpcAttachments", rs, func(r map[string]string) string {
			return el("transitGatewayAttachmentId", r["id"]) + el("state", "available")
		}) + "</DescribeTransitGatewayVpcAttachmentsResponse>"}
	case "ec2:CreateTransitGatewayVpcAttachment":
		id := f.add("attachment", "tgw-attach-", map[string]string{"transit-gateway-id": form.Get("TransitGatewayId"), "vpc-id": form.Get("VpcId")})
		return reply{body: "<CreateTransitGatewayVpcAttachmentResponse><transitGatewayVpcAttachment>" + el("transitGatewayAttachmentId", id) + el("state", "pending") + "</transitGatewayVpcAttachment></CreateTransitGatewayVpcAttachmentResponse>"}
	case "ec2:DescribeCustomerGateways":
		where := ec2Filters(form)
		delete(where, "state")
		rs := f.find("cgw", where)
		return reply{body: "<DescribeCustomerGatewaysResponse>" + items("customerGatewaySet", rs, func(r map[string]string) string {
			return el("customerGatewayId", r["id"]) + el("state", "available")
		}) + "</DescribeCustomerGatewaysResponse>"}
	case "ec2:CreateCustomerGateway":
		id := f.add("cgw", "cgw-", map[string]string{"tag:Name": form.Get("TagSpecification.1.Tag.1.Value"), "ip-address": form.Get("IpAddress")})
		return reply{body: "<CreateCustomerGatewayResponse><customerGateway>" + el("customerGatewayId", id) + "</customerGateway></CreateCustomerGatewayResponse>"}
	case "ec2:DescribeVpnConnections":
		where := ec2Filters(form)
		delete(where, "state")
		if id := form.Get("VpnConnectionId.1"); id != "" {
			where["id"] = []string{id}
		}
		rs := f.find("vpn", where)
		return reply{body: "<DescribeVpnConnectionsResponse>" + items("vpnConnectionSet", rs, func(r map[string]string) string {
			return el("vpnConnectionId", r["id"]) + el("state", "available")
		}) + "</DescribeVpnConnectionsResponse>"}
	case "ec2:CreateVpnConnection":
		id := f.add("vpn", "vpn-", map[string]string{"customer-gateway-id": form.Get("CustomerGatewayId"), "transit-gateway-id": form.Get("TransitGatewayId")})
		return reply{body: "<CreateVpnConnectionResponse><vpnConnection>" + el("vpnConnectionId", id) + el("state", "pending") + "</vpnConnection></CreateVpnConnectionResponse>"}
	case "ec2:CreateRoute":
		if !f.once("route/" + form.Get("RouteTableId") + "/" + form.Get("DestinationCidrBlock")) {
			return reply{status: 400, code: "RouteAlreadyExists"}
		}
		return reply{body: "<CreateRouteResponse><return>true</return></CreateRouteResponse>"}
	case "ec2:AuthorizeSecurityGroupIngress", "ec2:AuthorizeSecurityGroupEgress":
		key := c.Op + "/" + form.Get("GroupId") + "/" + form.Get("IpPermissions.1.IpProtocol") + "/" + form.Get("IpPermissions.1.FromPort") + "/" + form.Get("IpPermissions.1.IpRanges.1.CidrIp")
		if !f.once(key) {
			return reply{status: 400, code: "InvalidPermission.Duplicate"}
		}
		return reply{body: "<Response><return>true</return></Response>"}

	case "directconnect:DescribeDirectConnectGateways":
		var gws []any
		for _, r := range f.kinds["dxgw"] {
			gws = append(gws, map[string]any{"directConnectGatewayId": r["id"], "directConnectGatewayName": r["name"], "directConnectGatewayState": "available"})
		}
		return reply{body: map[string]any{"directConnectGateways": gws}}
	case "directconnect:CreateDirectConnectGateway":
		id := f.add("dxgw", "", map[string]string{"name": str(body, "directConnectGatewayName")})
		return reply{body: map[string]any{"directConnectGateway": map[string]any{"directConnectGatewayId": id, "directConnectGatewayName": str(body, "directConnectGatewayName"), "directConnectGatewayState": "pending"}}}
	case "directconnect:DescribeDirectConnectGatewayAssociations":
		var as []any
		for range f.find("dxassoc", map[string][]string{"dxgw": {str(body, "directConnectGatewayId")}, "gw": {str(body, "associatedGatewayId")}}) {
			as = append(as, map[string]any{"associationState": "associated"})
		}
		return reply{body: map[string]any{"directConnectGatewayAssociations": as}}
	case "directconnect:CreateDirectConnectGatewayAssociation":
		f.add("dxassoc", "", map[string]string{"dxgw": str(body, "directConnectGatewayId"), "gw": str(body, "gatewayId")})
		return reply{body: map[string]any{"directConnectGatewayAssociation": map[string]any{"associationState": "associating"}}}

	case "iam:CreateRole":
		if !f.once("role/" + form.Get("RoleName")) {
			return reply{status: 409, code: "EntityAlreadyExists"}
		}
		return reply{body: "<CreateRoleResponse><CreateRoleResult><Role>" + el("RoleName", form.Get("RoleName")) + el("Arn", "arn:aws:iam::111122223333:role/"+form.Get("RoleName")) + "</Role></CreateRoleResult></CreateRoleResponse>"}
	case "iam:GetRolePolicy":
		doc, ok := f.policies[form.Get("RoleName")+"/"+form.Get("PolicyName")]
		if !ok {
			return reply{status: 404, code: "NoSuchEntity"}
		}
		return reply{body: "<GetRolePolicyResponse><GetRolePolicyResult>" + el("PolicyDocument", url.QueryEscape(doc)) + "</GetRolePolicyResult></GetRolePolicyResponse>"}
	case "iam:PutRolePolicy":
		key := form.Get("RoleName") + "/" + form.Get("PolicyName")
		if _, ok := f.policies[key]; !ok {
			f.created++
		}
		f.policies[key] = form.Get("PolicyDocument")
		return reply{body: "<PutRolePolicyResponse></PutRolePolicyResponse>"}
	case "iam:ListAttachedRolePolicies":
		var b strings.Builder
		for k := range f.keys {
			if arn, ok := strings.CutPrefix(k, "attached/"+form.Get("RoleName")+"/"); ok {
				b.WriteString("<member>" + el("PolicyArn", arn) + "</member>")
			}
		}
		return reply{body: "<ListAttachedRolePoliciesResponse><ListAttachedRolePoliciesResult><AttachedPolicies>" + b.String() + "</AttachedPolicies><IsTruncated>false</IsTruncated></ListAttachedRolePoliciesResult></ListAttachedRolePoliciesResponse>"}
	case "iam:AttachRolePolicy":
		f.once("attached/" + form.Get("RoleName") + "/" + form.Get("PolicyArn"))
		return reply{body: "<AttachRolePolicyResponse></AttachRolePolicyResponse>"}

	case "ssm:DescribeActivations":
		var as []any
		for _, r := range f.kinds["activation"] {
			as = append(as, map[string]any{"ActivationId": r["id"], "Description": r["description"], "IamRole": r["role"], "DefaultInstanceName": r["name"], "Expired": false})
		}
		return reply{body: map[string]any{"ActivationList": as}}
	case "ssm:CreateActivation":
		id := f.add("activation", "e488f2f6-e686-4afb-8a04-", map[string]string{"description": str(body, "Description"), "role": str(body, "IamRole"), "name": str(body, "DefaultInstanceName")})
		return reply{body: map[string]any{"ActivationId": id, "ActivationCode": "Z0a1B2c3D4e5F6g7H8i9"}}

	case "rolesanywhere:ListProfiles":
		var ps []any
		for _, r := range f.kinds["profile"] {
			ps = append(ps, map[string]any{"profileArn": r["arn"], "name": r["name"]})
		}
		return reply{body: map[string]any{"profiles": ps}}
	case "rolesanywhere:CreateProfile":
		arn := "arn:aws:rolesanywhere:ap-northeast-2:111122223333:profile/" + fmt.Sprintf("%08x-0000-4000-8000-000000000000", len(f.kinds["profile"])+1)
		f.add("profile", "", map[string]string{"name": str(body, "name"), "arn": arn})
		return reply{body: map[string]any{"profile": map[string]any{"profileArn": arn, "name": str(body, "name")}}}

	case "rolesanywhere:CreateTrustAnchor":
		arn := "arn:aws:rolesanywhere:ap-northeast-2:111122223333:trust-anchor/" + fmt.Sprintf("%08x-0000-4000-8000-000000000000", len(f.kinds["anchor"])+1)
		f.add("anchor", "", map[string]string{"name": str(body, "name"), "arn": arn})
		return reply{body: map[string]any{"trustAnchor": map[string]any{"trustAnchorArn": arn, "name": str(body, "name")}}}
	case "route53resolver:ListResolverEndpoints":
		var es []any
		for _, r := range f.find("endpoint", resolverFilters(body)) {
			es = append(es, map[string]any{"Id": r["id"], "Status": "OPERATIONAL"})
		}
		return reply{body: map[string]any{"ResolverEndpoints": es}}
	case "route53resolver:CreateResolverEndpoint":
		id := f.add("endpoint", "rslvr-"+strings.ToLower(str(body, "Direction"))[:2]+"-", map[string]string{"CreatorRequestId": str(body, "CreatorRequestId")})
		return reply{body: map[string]any{"ResolverEndpoint": map[string]any{"Id": id, "Status": "CREATING"}}}
	case "route53resolver:GetResolverEndpoint":
		return reply{body: map[string]any{"ResolverEndpoint": map[string]any{"Id": str(body, "ResolverEndpointId"), "Status": "OPERATIONAL"}}}
	case "route53resolver:ListResolverRules":
		var rs []any
		for _, r := range f.find("rule", resolverFilters(body)) {
			rs = append(rs, map[string]any{"Id": r["id"]})
		}
		return reply{body: map[string]any{"ResolverRules": rs}}
	case "route53resolver:CreateResolverRule":
		id := f.add("rule", "rslvr-rr-", map[string]string{"CreatorRequestId": str(body, "CreatorRequestId")})
		return reply{body: map[string]any{"ResolverRule": map[string]any{"Id": id}}}
	case "route53resolver:ListResolverRuleAssociations":
		var as []any
		for _, r := range f.find("association", resolverFilters(body)) {
			as = append(as, map[string]any{"Id": r["id"]})
		}
		return reply{body: map[string]any{"ResolverRuleAssociations": as}}
	case "route53resolver:AssociateResolverRule":
		id := f.add("association", "rslvr-rrassoc-", map[string]string{"ResolverRuleId": str(body, "ResolverRuleId"), "VPCId": str(body, "VPCId")})
		return reply{body: map[string]any{"ResolverRuleAssociation": map[string]any{"Id": id}}}
	}
	if f.t != nil {
		f.t.Errorf("the fake AWS does not know %s", c.Op)
	}
	return reply{status: 400, code: "UnknownOperation"}
}

// write answers in the protocol's own form, errors included.
func write(w http.ResponseWriter, protocol, op string, rep reply) {
	if rep.code != "" {
		switch protocol {
		case "ec2":
			w.Header().Set("Content-Type", "text/xml")
			w.WriteHeader(rep.status)
			fmt.Fprintf(w, "<Response><Errors><Error><Code>%s</Code><Message>%s</Message></Error></Errors><RequestID>req-1</RequestID></Response>", rep.code, op)
		case "iam":
			w.Header().Set("Content-Type", "text/xml")
			w.WriteHeader(rep.status)
			fmt.Fprintf(w, "<ErrorResponse><Error><Type>Sender</Type><Code>%s</Code><Message>%s</Message></Error><RequestId>req-1</RequestId></ErrorResponse>", rep.code, op)
		case "json":
			w.Header().Set("Content-Type", "application/x-amz-json-1.1")
			w.WriteHeader(rep.status)
			_ = json.NewEncoder(w).Encode(map[string]string{"__type": rep.code, "message": op})
		default:
			w.Header().Set("Content-Type", "application/json")
			w.Header().Set("X-Amzn-Errortype", rep.code)
			w.WriteHeader(rep.status)
			_ = json.NewEncoder(w).Encode(map[string]string{"message": op})
		}
		return
	}
	switch protocol {
	case "ec2", "iam":
		w.Header().Set("Content-Type", "text/xml")
		w.WriteHeader(rep.status)
		_, _ = io.WriteString(w, rep.body.(string))
	default:
		if protocol == "json" {
			w.Header().Set("Content-Type", "application/x-amz-json-1.1")
		} else {
			w.Header().Set("Content-Type", "application/json")
		}
		w.WriteHeader(rep.status)
		_ = json.NewEncoder(w).Encode(rep.body)
	}
}
