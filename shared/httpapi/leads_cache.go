package httpapi

import (
	"sync"
	"time"

	"github.com/qoldau/qoldau/shared/leads"
)

// Finding the leads reads every row of the period range (half a second for a
// month of 100,000 rows, seconds for a year), and the leads page is read by
// pages and filters of one result: the last results are kept and reused while
// the stores' inputs revision (versions, letters, acts) is unchanged and for at
// most leadsCacheTTL, which bounds how long a new survey answer (not part of the
// revision) takes to show among the denied services. The page shows when its
// result was computed.
const (
	leadsCacheTTL     = time.Minute
	leadsCacheEntries = 2
)

// leadsKey names one computation: the period asked for, its thresholds and the
// inputs revision it read.
type leadsKey struct {
	period   string
	settings leads.Settings
	revision int64
}

type leadsCache struct {
	mu      sync.Mutex
	entries []cachedLeads // most recently made last
}

type cachedLeads struct {
	key leadsKey
	at  time.Time // when it was computed (Config.Now)
	res *leads.Result
}

// get returns the result of k computed less than leadsCacheTTL before now.
func (c *leadsCache) get(k leadsKey, now time.Time) (*leads.Result, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, e := range c.entries {
		if e.key == k && now.Sub(e.at) < leadsCacheTTL && !now.Before(e.at) {
			return e.res, true
		}
	}
	return nil, false
}

func (c *leadsCache) put(k leadsKey, at time.Time, res *leads.Result) {
	c.mu.Lock()
	defer c.mu.Unlock()
	kept := c.entries[:0:0]
	for _, e := range c.entries {
		if e.key != k {
			kept = append(kept, e)
		}
	}
	if len(kept) >= leadsCacheEntries {
		kept = kept[len(kept)-leadsCacheEntries+1:]
	}
	c.entries = append(kept, cachedLeads{k, at, res})
}
