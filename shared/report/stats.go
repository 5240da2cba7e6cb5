package report

import (
	"math"
	"strconv"
)

// SmallSample is the sample size below which a share or mean is marked as a small
// sample (docs/rules.md, "Quality audit").
const SmallSample = 30

// z95 is the normal quantile of a two-sided 95% interval.
const z95 = 1.959963984540054

// Share is a proportion K/N with its Wilson 95% interval.
type Share struct {
	N     int     `json:"n"`
	K     int     `json:"k"`
	Value float64 `json:"share"`
	Lo    float64 `json:"lo"`
	Hi    float64 `json:"hi"`
	Small bool    `json:"small_sample,omitempty"`
}

// NewShare returns k of n with the Wilson score interval; nil when n is 0.
func NewShare(k, n int) *Share {
	if n <= 0 {
		return nil
	}
	p := float64(k) / float64(n)
	nf := float64(n)
	z2 := z95 * z95
	den := 1 + z2/nf
	centre := (p + z2/(2*nf)) / den
	half := z95 * math.Sqrt(p*(1-p)/nf+z2/(4*nf*nf)) / den
	return &Share{N: n, K: k, Value: round4(p), Lo: round4(math.Max(0, centre-half)), Hi: round4(math.Min(1, centre+half)),
		Small: n < SmallSample}
}

// Mean is the mean of 1..5 answers with a normal 95% interval, the distribution
// and the share of 4 and 5.
type Mean struct {
	N     int     `json:"n"`
	Value float64 `json:"mean"`
	// Lo and Hi bound the interval: mean ± 1.96·s/√n with the sample standard
	// deviation s (equal to the mean when n is 1), clipped to 1..5.
	Lo    float64 `json:"lo"`
	Hi    float64 `json:"hi"`
	Dist  [5]int  `json:"distribution"`
	High  *Share  `json:"share_4_5"`
	Small bool    `json:"small_sample,omitempty"`
}

// scale accumulates 1..5 answers.
type scale struct{ dist [5]int }

func (s *scale) add(v int) {
	if v >= 1 && v <= 5 {
		s.dist[v-1]++
	}
}

// mean returns the Mean of the answers; nil when there are none.
func (s *scale) mean() *Mean {
	n, sum, sq := 0, 0.0, 0.0
	for i, c := range s.dist {
		v := float64(i + 1)
		n += c
		sum += v * float64(c)
		sq += v * v * float64(c)
	}
	if n == 0 {
		return nil
	}
	m := sum / float64(n)
	lo, hi := m, m
	if n > 1 {
		variance := (sq - float64(n)*m*m) / float64(n-1)
		half := z95 * math.Sqrt(math.Max(0, variance)/float64(n))
		lo, hi = math.Max(1, m-half), math.Min(5, m+half)
	}
	return &Mean{N: n, Value: round4(m), Lo: round4(lo), Hi: round4(hi), Dist: s.dist,
		High: NewShare(s.dist[3]+s.dist[4], n), Small: n < SmallSample}
}

// round4 rounds to 4 decimals, so JSON numbers are short and stable.
func round4(x float64) float64 { return math.Round(x*1e4) / 1e4 }

// fmtFloat formats x with digits decimals and the language's decimal separator.
func fmtFloat(x float64, digits int, lang string) string {
	s := strconv.FormatFloat(x, 'f', digits, 64)
	if lang != "en" {
		for i := 0; i < len(s); i++ {
			if s[i] == '.' {
				s = s[:i] + "," + s[i+1:]
				break
			}
		}
	}
	return s
}
