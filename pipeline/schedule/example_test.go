package schedule_test

import (
	"context"
	"fmt"

	"github.com/nl2en/nl2en/pipeline/llm"
	"github.com/nl2en/nl2en/pipeline/schedule"
)

// One Scheduler serves the whole run: the HTTP layer consults it before
// every attempt, and each chat request is admitted with the tokens the
// server will count for it.
func Example() {
	s := schedule.New(schedule.Limits{Concurrency: 8, RPM: 500, TPM: 200_000})
	client := llm.NewClient(llm.Config{APIKey: "sk-…", MaxConns: 8, Pacer: s})
	_ = client

	ctx := context.Background()
	release, err := s.Acquire(ctx, 1800) // prompt plus max_tokens
	if err != nil {
		return // ctx ended
	}
	// resp, err := client.CreateChatCompletion(ctx, req)
	release() // frees the slot; the 1800 tokens stay spent, as on the server

	st := s.Stats()
	fmt.Println(st.Started, st.EstimatedTokens)
	// Output: 1 1800
}
