package httpapi

import (
	"context"
	"sync"

	"github.com/qoldau/qoldau/shared/civil"
	"github.com/qoldau/qoldau/shared/qoldau"
)

// A version's findings never change (every upload is a new version), so the
// findings page keeps the findings of the few versions last shown in memory: paging
// and filtering a table then reads no stored report. Only versions of at most
// cacheMaxFindings findings are kept, at most cacheVersions of them (the last
// used): a few megabytes.
const (
	cacheMaxFindings = 20_000
	cacheVersions    = 4
)

// versionKey names a version for the cache: its period, number and file, so that
// a store restored under the same numbers is not mistaken for the one cached.
type versionKey struct {
	period civil.Month
	number int
	sha256 string
}

type findingsCache struct {
	mu      sync.Mutex
	entries []cachedFindings // most recently used last
}

type cachedFindings struct {
	key versionKey
	fs  []qoldau.Finding
}

func (c *findingsCache) get(k versionKey) ([]qoldau.Finding, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for i, e := range c.entries {
		if e.key == k {
			c.entries = append(append(c.entries[:i:i], c.entries[i+1:]...), e)
			return e.fs, true
		}
	}
	return nil, false
}

func (c *findingsCache) put(k versionKey, fs []qoldau.Finding) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, e := range c.entries {
		if e.key == k {
			return
		}
	}
	if len(c.entries) >= cacheVersions {
		c.entries = append(c.entries[:0:0], c.entries[1:]...)
	}
	c.entries = append(c.entries, cachedFindings{k, fs})
}

// eachFinding calls fn with each finding of version v, in report order: from the
// cache, else from the stored report as it is read (kept for the next time when
// small enough).
func (a *api) eachFinding(ctx context.Context, v *qoldau.Version, fn func(*qoldau.Finding) error) error {
	k := versionKey{v.Period, v.Number, v.SHA256}
	if fs, ok := a.cache.get(k); ok {
		for i := range fs {
			if err := fn(&fs[i]); err != nil {
				return err
			}
		}
		return nil
	}
	var keep []qoldau.Finding
	small := true
	err := a.Svc.EachFinding(ctx, v.Period, v.Number, func(f *qoldau.Finding) error {
		if small {
			if small = len(keep) < cacheMaxFindings; small {
				keep = append(keep, *f)
			} else {
				keep = nil
			}
		}
		return fn(f)
	})
	if err == nil && small {
		a.cache.put(k, keep)
	}
	return err
}
