package batchapi

import (
	"context"
	"fmt"
)

// Cancel asks the API to stop a batch; it ends as "cancelled", with the
// results of what ran. nl2en never cancels a batch it paid for; tests do,
// to see what a cancelled batch gives back.
func (c *Client) Cancel(ctx context.Context, st *State, rec *Record) error {
	if rec.BatchID == "" || rec.Finished() {
		return nil
	}
	b, err := c.api.CancelBatch(ctx, rec.BatchID)
	if err != nil {
		return fmt.Errorf("cancel batch %s (%s): %w", rec.BatchID, rec.ID, err)
	}
	c.update(rec, b.Batch)
	return st.Save()
}
