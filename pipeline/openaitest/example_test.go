package openaitest_test

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/sashabaranov/go-openai"

	"github.com/nl2en/nl2en/pipeline/openaitest"
)

// A test starts the server with New(t, …), which closes it when the test
// ends; examples have no t, so they use NewServer and Close.
func Example() {
	s := openaitest.NewServer(openaitest.WithTranslations(map[string]string{
		"Meer nieuws is er niet.": "There is no more news.",
	}))
	defer s.Close()

	cfg := openai.DefaultConfig("test-key")
	cfg.BaseURL = s.BaseURL()
	client := openai.NewClientWithConfig(cfg)

	resp, err := client.CreateChatCompletion(context.Background(), openai.ChatCompletionRequest{
		Model: "gpt-4.1-mini",
		Messages: []openai.ChatCompletionMessage{
			{Role: openai.ChatMessageRoleSystem, Content: "You translate Dutch news into English."},
			{Role: openai.ChatMessageRoleUser, Content: `{"segments":[{"id":"s1","text":"Meer nieuws is er niet."},{"id":"s2","text":"Het stadje telde 80 duizend inwoners."}]}`},
		},
		ResponseFormat: &openai.ChatCompletionResponseFormat{Type: openai.ChatCompletionResponseFormatTypeJSONObject},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(resp.Choices[0].Message.Content)
	fmt.Println(s.Count(openaitest.KindTranslate), s.Requests()[0].SegmentIDs)
	// Output:
	// {"segments":[{"id":"s1","text":"There is no more news."},{"id":"s2","text":"This is the English text of segment s2. It mentions 80,000."}]}
	// 1 [s1 s2]
}

// Script makes the next translation request fail with a rate limit, which
// go-openai returns as an *openai.APIError, and the one after it reply
// with a segment missing.
func ExampleServer_Script() {
	s := openaitest.NewServer()
	defer s.Close()
	s.Script(openaitest.KindTranslate,
		openaitest.RateLimited(100*time.Millisecond),
		openaitest.MissingSegment("s2"),
	)

	req := openai.ChatCompletionRequest{
		Model: "gpt-4o-mini",
		Messages: []openai.ChatCompletionMessage{
			{Role: openai.ChatMessageRoleUser, Content: `{"segments":[{"id":"s1","text":"Een."},{"id":"s2","text":"Twee."}]}`},
		},
	}
	for range 3 {
		resp, err := s.Client().CreateChatCompletion(context.Background(), req)
		var apiErr *openai.APIError
		if errors.As(err, &apiErr) {
			fmt.Println(apiErr.HTTPStatusCode, apiErr.Code)
			continue
		}
		fmt.Println(resp.Choices[0].Message.Content)
	}
	// Output:
	// 429 rate_limit_exceeded
	// {"segments":[{"id":"s1","text":"This is the English text of segment s1."}]}
	// {"segments":[{"id":"s1","text":"This is the English text of segment s1."},{"id":"s2","text":"This is the English text of segment s2."}]}
}
