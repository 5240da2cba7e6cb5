package report

// The Data sheet's client ids are the deployment's pseudonymous client ids
// (secret.Key.ClientID): the same ids the survey answers carry, so an auditor can
// join the two without any name or IIN. Distinct counts use their first 64 bits (a
// collision among a million clients has odds of about 1 in 30 million).

// fnv64 hashes an enterprise's BIN/IIN for distinct counts (FNV-1a).
func fnv64(s string) uint64 {
	h := uint64(14695981039346656037)
	for i := 0; i < len(s); i++ {
		h ^= uint64(s[i])
		h *= 1099511628211
	}
	return h
}
