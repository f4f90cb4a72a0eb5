package train

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
)

// Fingerprint returns a hexadecimal SHA-256 digest of the JSON encoding of
// v, for Loop.Fingerprint: give it a struct of everything that decides
// what a step does (shapes, losses, step sizes, batch sizes, seed) and
// nothing that does not (budgets, progress settings, file names). It
// returns an error if v cannot be encoded as JSON (a function, a channel,
// a NaN or infinite float).
func Fingerprint(v any) (string, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return "", fmt.Errorf("train: fingerprint of the configuration: %w", err)
	}
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:]), nil
}
