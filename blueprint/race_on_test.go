//go:build race

package blueprint_test

// raceEnabled reports whether the race detector instruments this test
// binary; it multiplies every allocation, so allocation bounds are not
// measured under it.
const raceEnabled = true
