package job

import (
	"errors"
	"fmt"
)

// ErrNoPrice is the cause of a [SettingError] for a cost cap on a model
// with no known price.
var ErrNoPrice = errors.New("no price known for the model")

// KeyError is returned by [Open] when the server needs an API key and none
// usable was set.
type KeyError struct {
	// Server is the scheme and host of the API.
	Server string
	// Placeholder is the key that was set, when it is a placeholder such
	// as "sk-..." left from an example file; "" when none was set.
	Placeholder string
}

func (e *KeyError) Error() string {
	if e.Placeholder != "" {
		return fmt.Sprintf("the API key is the placeholder %q, and the API at %s needs a real one", e.Placeholder, e.Server)
	}
	return fmt.Sprintf("no API key, and the API at %s needs one", e.Server)
}

// placeholder returns key when it is a placeholder worth naming back to
// the user (short enough not to be a real key pasted wrong).
func placeholder(key string) string {
	if key == "" || len(key) > 24 {
		return ""
	}
	return key
}
