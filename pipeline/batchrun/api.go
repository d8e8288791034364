package batchrun

import (
	"context"
	"errors"
	"sync/atomic"

	openai "github.com/sashabaranov/go-openai"

	"github.com/nl2en/nl2en/pipeline/batchapi"
)

// ErrDryRun is the error of a request a dry run would have sent that
// creates, changes or deletes something: a dry run sends none.
var ErrDryRun = errors.New("a dry run sends no request that creates or costs anything")

// countingAPI is the Files and Batch APIs as a session uses them: it counts
// the requests that upload, create, cancel or delete something, and in a
// dry run refuses them without sending. Reading (a batch's status, a
// file's content) is allowed to a dry run.
type countingAPI struct {
	batchapi.API
	dryRun bool
	sent   atomic.Int64
}

func (c *countingAPI) change() error {
	if c.dryRun {
		return ErrDryRun
	}
	c.sent.Add(1)
	return nil
}

func (c *countingAPI) CreateFileBytes(ctx context.Context, req openai.FileBytesRequest) (openai.File, error) {
	if err := c.change(); err != nil {
		return openai.File{}, err
	}
	return c.API.CreateFileBytes(ctx, req)
}

func (c *countingAPI) DeleteFile(ctx context.Context, fileID string) error {
	if err := c.change(); err != nil {
		return err
	}
	return c.API.DeleteFile(ctx, fileID)
}

func (c *countingAPI) CreateBatch(ctx context.Context, req openai.CreateBatchRequest) (openai.BatchResponse, error) {
	if err := c.change(); err != nil {
		return openai.BatchResponse{}, err
	}
	return c.API.CreateBatch(ctx, req)
}

func (c *countingAPI) CancelBatch(ctx context.Context, batchID string) (openai.BatchResponse, error) {
	if err := c.change(); err != nil {
		return openai.BatchResponse{}, err
	}
	return c.API.CancelBatch(ctx, batchID)
}
