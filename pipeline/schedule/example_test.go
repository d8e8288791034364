package schedule_test

import (
	"context"
	"fmt"

	"github.com/nl2en/nl2en/pipeline/llm"
	"github.com/nl2en/nl2en/pipeline/schedule"
)

// One Scheduler serves the whole run: the HTTP layer consults it before
// every attempt, and each chat request is admitted with its token
// estimate.
func Example() {
	s := schedule.New(schedule.Limits{Concurrency: 8, RPM: 500, TPM: 200_000})
	client := llm.NewClient(llm.Config{APIKey: "sk-…", MaxConns: 8, Pacer: s})
	_ = client

	ctx := context.Background()
	release, err := s.Acquire(ctx, 1800) // prompt plus expected completion
	if err != nil {
		return // ctx ended
	}
	// resp, err := client.CreateChatCompletion(ctx, req)
	release(1650) // resp.Usage.TotalTokens, or -1 when unknown

	st := s.Stats()
	fmt.Println(st.Started, st.EstimatedTokens, st.ActualTokens)
	// Output: 1 1800 1650
}
