//go:build race

package split

func init() { raceEnabled = true }
