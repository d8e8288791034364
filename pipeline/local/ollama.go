package local

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
)

// OllamaWindow is what Ollama tells of the context window of a model.
type OllamaWindow struct {
	// Loaded is the context the model was loaded with, which is what
	// requests get (/api/ps); 0 when the model is not loaded.
	Loaded int
	// NumCtx is num_ctx among the model's parameters (/api/show), set in
	// its Modelfile; 0 when not set.
	NumCtx int
	// Trained is the most the model was trained for (/api/show model_info
	// "<architecture>.context_length"); Ollama gives requests less unless
	// told otherwise.
	Trained int
}

// Window is the context requests to the model get, when Ollama tells it:
// as loaded, else as its Modelfile sets it; 0 when neither is known.
func (w OllamaWindow) Window() int {
	if w.Loaded > 0 {
		return w.Loaded
	}
	return w.NumCtx
}

// OllamaContext asks the Ollama server behind an OpenAI-compatible base
// URL (http://host:11434/v1) about the context window of model, through
// its native API: /api/show, then /api/ps.
func OllamaContext(ctx context.Context, d Doer, baseURL, model string) (OllamaWindow, error) {
	root, err := ollamaRoot(baseURL)
	if err != nil {
		return OllamaWindow{}, err
	}
	var w OllamaWindow
	var show struct {
		Parameters string         `json:"parameters"`
		ModelInfo  map[string]any `json:"model_info"`
	}
	body, _ := json.Marshal(map[string]string{"model": model})
	if err := ollamaCall(ctx, d, http.MethodPost, root+"/api/show", body, &show); err != nil {
		return w, err
	}
	w.NumCtx = numCtx(show.Parameters)
	w.Trained = trainedContext(show.ModelInfo)

	var ps struct {
		Models []struct {
			Name          string `json:"name"`
			Model         string `json:"model"`
			ContextLength int    `json:"context_length"`
		} `json:"models"`
	}
	if err := ollamaCall(ctx, d, http.MethodGet, root+"/api/ps", nil, &ps); err != nil {
		return w, err
	}
	for _, m := range ps.Models {
		if sameModel(m.Name, model) || sameModel(m.Model, model) {
			w.Loaded = m.ContextLength
		}
	}
	return w, nil
}

// ollamaRoot is the root of Ollama's native API: the base URL without its
// "/v1".
func ollamaRoot(baseURL string) (string, error) {
	u, err := url.Parse(strings.TrimRight(baseURL, "/"))
	if err != nil || u.Host == "" {
		return "", fmt.Errorf("base URL %q: not a URL", baseURL)
	}
	u.Path = strings.TrimSuffix(u.Path, "/v1")
	u.RawQuery, u.Fragment, u.User = "", "", nil
	return strings.TrimRight(u.String(), "/"), nil
}

func ollamaCall(ctx context.Context, d Doer, method, url string, body []byte, v any) error {
	var r io.Reader
	if body != nil {
		r = bytes.NewReader(body)
	}
	req, err := http.NewRequestWithContext(ctx, method, url, r)
	if err != nil {
		return err
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := d.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(io.LimitReader(resp.Body, maxListBytes))
	if err != nil {
		return err
	}
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("%s %s: %w", method, req.URL.Path, &StatusError{Status: resp.StatusCode, Message: errorMessage(b)})
	}
	if err := json.Unmarshal(b, v); err != nil {
		return fmt.Errorf("%s %s: %w", method, req.URL.Path, err)
	}
	return nil
}

// numCtx reads num_ctx from the parameters /api/show gives, one per line:
// "num_ctx                        16384".
func numCtx(params string) int {
	for _, line := range strings.Split(params, "\n") {
		f := strings.Fields(line)
		if len(f) == 2 && f[0] == "num_ctx" {
			if n, err := strconv.Atoi(f[1]); err == nil && n > 0 {
				return n
			}
		}
	}
	return 0
}

// trainedContext reads "<architecture>.context_length" from model_info,
// the architecture being "general.architecture".
func trainedContext(info map[string]any) int {
	arch, _ := info["general.architecture"].(string)
	if n, ok := info[arch+".context_length"].(float64); ok && n > 0 {
		return int(n)
	}
	return 0
}
