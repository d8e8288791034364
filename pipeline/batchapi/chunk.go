package batchapi

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"

	"github.com/sashabaranov/go-openai"
)

// The limits of one batch, as OpenAI documents them.
const (
	MaxRequests = 50_000
	MaxBytes    = 200 << 20
)

// Line is one request of a batch.
type Line struct {
	// CustomID names the request in the results; it must be unique within
	// a batch, and nl2en makes it name the article and the batch of
	// segments.
	CustomID string
	Request  openai.ChatCompletionRequest
}

// encodeLine renders a line of the input file, without the newline.
func encodeLine(l Line) ([]byte, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	err := enc.Encode(openai.BatchChatCompletionRequest{
		CustomID: l.CustomID,
		Body:     l.Request,
		Method:   http.MethodPost,
		URL:      openai.BatchEndpointChatCompletions,
	})
	if err != nil {
		return nil, fmt.Errorf("encode batch request %s: %w", l.CustomID, err)
	}
	return bytes.TrimSuffix(b.Bytes(), []byte("\n")), nil
}

// encode renders the input file of a chunk, one line each with a final
// newline, and its SHA-256 in hex.
func encode(lines []Line) (data []byte, hash string, err error) {
	var b bytes.Buffer
	for _, l := range lines {
		line, err := encodeLine(l)
		if err != nil {
			return nil, "", err
		}
		b.Write(line)
		b.WriteByte('\n')
	}
	sum := sha256.Sum256(b.Bytes())
	return b.Bytes(), hex.EncodeToString(sum[:]), nil
}

// checkIDs reports an empty or repeated custom id.
func checkIDs(lines []Line) error {
	seen := make(map[string]bool, len(lines))
	for i, l := range lines {
		if l.CustomID == "" {
			return fmt.Errorf("request %d has no custom id", i+1)
		}
		if seen[l.CustomID] {
			return fmt.Errorf("custom id %q is used twice", l.CustomID)
		}
		seen[l.CustomID] = true
	}
	return nil
}

// Chunk splits lines into chunks that each fit one batch: at most
// maxRequests lines and maxBytes bytes of JSONL, and one model, since a
// batch may use only one. Lines keep their order within a model; models
// come in the order they first appear. A maxRequests or maxBytes of 0 or
// less means OpenAI's limit ([MaxRequests], [MaxBytes]). Custom ids must
// be unique across all lines; a line larger than maxBytes on its own is
// an error.
func Chunk(lines []Line, maxRequests int, maxBytes int64) ([][]Line, error) {
	if maxRequests <= 0 {
		maxRequests = MaxRequests
	}
	if maxBytes <= 0 {
		maxBytes = MaxBytes
	}
	if err := checkIDs(lines); err != nil {
		return nil, err
	}
	var models []string
	byModel := map[string][]Line{}
	for _, l := range lines {
		m := l.Request.Model
		if _, ok := byModel[m]; !ok {
			models = append(models, m)
		}
		byModel[m] = append(byModel[m], l)
	}
	var chunks [][]Line
	for _, m := range models {
		var cur []Line
		var size int64
		for _, l := range byModel[m] {
			b, err := encodeLine(l)
			if err != nil {
				return nil, err
			}
			n := int64(len(b)) + 1
			if n > maxBytes {
				return nil, fmt.Errorf("request %s is %d bytes, more than the %d bytes a batch may hold", l.CustomID, n, maxBytes)
			}
			if len(cur) == maxRequests || size+n > maxBytes {
				chunks = append(chunks, cur)
				cur, size = nil, 0
			}
			cur = append(cur, l)
			size += n
		}
		if len(cur) > 0 {
			chunks = append(chunks, cur)
		}
	}
	return chunks, nil
}

// checkChunk checks what Submit needs of a chunk and returns its model.
func checkChunk(lines []Line) (string, error) {
	if len(lines) == 0 {
		return "", errors.New("no requests to submit")
	}
	model := lines[0].Request.Model
	for _, l := range lines[1:] {
		if l.Request.Model != model {
			return "", fmt.Errorf("requests for models %q and %q in one batch: split them with Chunk", model, l.Request.Model)
		}
	}
	return model, checkIDs(lines)
}
