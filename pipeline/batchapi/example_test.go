package batchapi_test

import (
	"context"
	"fmt"
	"os"

	"github.com/nl2en/nl2en/pipeline/batchapi"
	"github.com/nl2en/nl2en/pipeline/openaitest"
	"github.com/nl2en/nl2en/pipeline/outputs"
)

// A cron run submits; a later one collects.
func Example() {
	ctx := context.Background()
	s := openaitest.NewServer()
	defer s.Close()
	out, _ := os.MkdirTemp("", "nl2en-example")
	defer os.RemoveAll(out)

	// First run: plan, chunk, submit. The state is kept in the output
	// folder, which only its store writes.
	store := outputs.New(outputs.Config{Out: out})
	st, err := batchapi.OpenState(store)
	if err != nil {
		fmt.Println(err)
		return
	}
	c := batchapi.New(s.Client(), nil)
	lines := []batchapi.Line{line("bachmoet.txt#b1", "s1", "Het leger rukt op."), line("bachmoet.txt#b2", "s2", "Meer nieuws is er niet.")}
	chunks, _ := batchapi.Chunk(lines, 0, 0)
	for _, ch := range chunks {
		if _, err := c.Submit(ctx, st, ch, map[string]string{"nl2en_out": "news"}, nil); err != nil {
			fmt.Println(err)
			return
		}
	}

	s.FinishBatches() // a day passes

	// Next run: recover, refresh, collect.
	st, _ = batchapi.OpenState(store)
	_ = c.Recover(ctx, st)
	_ = c.Refresh(ctx, st)
	for _, rec := range st.Uncollected() {
		results, err := c.Results(ctx, rec)
		if err != nil {
			fmt.Println(err)
			return
		}
		for _, r := range results {
			fmt.Println(r.CustomID, r.OK())
		}
		rec.Collected = true
	}
	_ = st.Save()
	// Output:
	// bachmoet.txt#b1 true
	// bachmoet.txt#b2 true
}
