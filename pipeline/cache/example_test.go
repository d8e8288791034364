package cache_test

import (
	"fmt"
	"os"
	"time"

	"github.com/nl2en/nl2en/pipeline/cache"
)

func Example() {
	dir, _ := os.MkdirTemp("", "nl2en-cache")
	defer os.RemoveAll(dir)
	c, err := cache.Open(dir) // cache.DefaultDir() in a real run
	if err != nil {
		fmt.Println(err)
		return
	}

	// Everything that decides the answer goes into the key.
	key := cache.Key("gpt-4o-mini", "prompt v3", "glossary: kabinet=cabinet", "Het kabinet is gevallen.")
	if _, ok, _ := c.Get(key); !ok {
		// A miss: translate, then keep the answer.
		c.Put(key, cache.Entry{Text: "The cabinet has fallen.", Model: "gpt-4o-mini", Created: time.Now(), Tokens: 57})
	}
	e, ok, _ := c.Get(key)
	fmt.Println(ok, e.Text)
	// Output: true The cabinet has fallen.
}
