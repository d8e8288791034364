package openaitest_test

import (
	"context"
	"errors"
	"testing"

	"github.com/sashabaranov/go-openai"

	"github.com/nl2en/nl2en/pipeline/openaitest"
)

func TestAzure(t *testing.T) {
	tests := []struct {
		name       string
		key        string
		apiVersion string
		model      string
		jsonObject bool
		status     int // 0: success
		code       any
	}{
		{name: "ok", key: "test-key", apiVersion: "2024-08-01-preview", model: "gpt-4o-mini"},
		{name: "ga version", key: "test-key", apiVersion: "2024-10-21", model: "gpt-4o-mini"},
		{name: "json_schema on old version", key: "test-key", apiVersion: "2024-06-01", model: "gpt-4o-mini", status: 400, code: "BadRequest"},
		{name: "json_object on old version", key: "test-key", apiVersion: "2024-06-01", model: "gpt-4o-mini", jsonObject: true},
		{name: "default go-openai version", key: "test-key", apiVersion: "2023-05-15", model: "gpt-4o-mini", status: 400, code: "BadRequest"},
		{name: "version too new", key: "test-key", apiVersion: "2025-04-01-preview", model: "gpt-4o-mini", status: 404, code: "404"},
		{name: "bad version", key: "test-key", apiVersion: "latest", model: "gpt-4o-mini", status: 404, code: "404"},
		{name: "unknown deployment", key: "test-key", apiVersion: "2024-10-21", model: "gpt-4o", status: 404, code: "DeploymentNotFound"},
		{name: "wrong key", key: "nope", apiVersion: "2024-10-21", model: "gpt-4o-mini", status: 401, code: "401"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := openaitest.New(t, openaitest.WithAzure("gpt-4o-mini", "2024-10-21"))
			cfg := openai.DefaultAzureConfig(tt.key, s.BaseURL())
			cfg.APIVersion = tt.apiVersion
			req := translateRequest(t, threeSegs...)
			req.Model = tt.model
			if tt.jsonObject {
				req.ResponseFormat = &openai.ChatCompletionResponseFormat{Type: openai.ChatCompletionResponseFormatTypeJSONObject}
			}
			resp, err := openai.NewClientWithConfig(cfg).CreateChatCompletion(context.Background(), req)
			if tt.status == 0 {
				if err != nil {
					t.Fatal(err)
				}
				if got := idsOf(segsOf(t, resp.Choices[0].Message.Content)); len(got) != 3 {
					t.Errorf("ids: got %v", got)
				}
				r := s.Requests()[0]
				if r.Path != "/azure/openai/deployments/gpt-4o-mini/chat/completions" || r.Query.Get("api-version") != tt.apiVersion {
					t.Errorf("path %s query %v", r.Path, r.Query)
				}
				if r.Header.Get("api-key") != tt.key || r.Header.Get("Authorization") != "" {
					t.Errorf("api-key %q, Authorization %q: want the key in api-key only", r.Header.Get("api-key"), r.Header.Get("Authorization"))
				}
				return
			}
			var apiErr *openai.APIError
			if !errors.As(err, &apiErr) {
				t.Fatalf("got %T %v, want *openai.APIError", err, err)
			}
			if apiErr.HTTPStatusCode != tt.status || apiErr.Code != tt.code {
				t.Errorf("got %d %#v (%s), want %d %#v", apiErr.HTTPStatusCode, apiErr.Code, apiErr.Message, tt.status, tt.code)
			}
		})
	}
}

func TestAzureConfigAndRateLimit(t *testing.T) {
	s := openaitest.New(t, openaitest.WithAzure("gpt-4o-mini", ""), openaitest.WithRateLimit(1, 0))
	c := s.Client()
	req := translateRequest(t, threeSegs...)
	req.Model = "gpt-4o-mini"
	if _, err := c.CreateChatCompletion(context.Background(), req); err != nil {
		t.Fatal(err)
	}
	_, err := c.CreateChatCompletion(context.Background(), req)
	var apiErr *openai.APIError
	if !errors.As(err, &apiErr) || apiErr.HTTPStatusCode != 429 || apiErr.Code != "429" {
		t.Errorf("got %v, want Azure's 429", err)
	}
	if _, err := c.ListModels(context.Background()); err != nil {
		t.Errorf("ListModels: %v", err)
	}
}
