package blueprint_test

import (
	"net/netip"

	"github.com/hybridkit/hybridkit/advice"
)

type adviceFinding = advice.Finding

func mustPrefix(s string) netip.Prefix { return netip.MustParsePrefix(s) }
func mustAddr(s string) netip.Addr     { return netip.MustParseAddr(s) }
