package cost

import (
	"math/rand/v2"
	"testing"
)

// TestValidAgreesWithValidateAt: the fast path Compute takes for clean
// servers must never pass one that ValidateAt would refuse, or the other
// way round.
func TestValidAgreesWithValidateAt(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	models := []string{"", "Xeon Platinum 8480C", "EPYC 9654", "Pentium II"}
	for range 20_000 {
		s := Server{
			Name: "s",
			CPU: Processors{
				Model:          models[r.IntN(len(models))],
				Sockets:        r.IntN(20) - 2,
				CoresPerSocket: r.IntN(1100) - 50,
				ThreadsPerCore: r.IntN(5) - 1,
				DeclaredVCPUs:  r.IntN(300) - 10,
			},
			GPUs: r.IntN(10) - 2,
		}
		if r.IntN(3) == 0 {
			s.CPU.CoresPerSocket = 0
		}
		if got, want := s.valid(), len(s.ValidateAt(nil)) == 0; got != want {
			t.Fatalf("%+v: valid() = %v, ValidateAt finds errors = %v", s, got, !want)
		}
	}
}
