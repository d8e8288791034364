// Package batchapi sends chat completion requests through OpenAI's Batch
// API, at half the price of the live path, and gets their results back a
// run or more later. It knows nothing of articles: the pipeline plans the
// requests, names each with a custom id, and validates and renders the
// replies; this package chunks, uploads, submits, tracks and downloads,
// and keeps a [State] file so that no batch is lost or paid twice.
//
// # A run
//
// Every run, from cron or by hand, under the run lock:
//
//	st, _ := batchapi.OpenState(store)    // the output folder's outputs.Store
//	c := batchapi.New(client, log)
//	c.Recover(ctx, st)                    // finish what a crash cut short
//	c.Refresh(ctx, st)                    // status and counts of open batches
//	for _, rec := range st.Uncollected() { // finished batches
//		results, _ := c.Results(ctx, rec) // one per request, in order
//		// … use results; send the failed ones live or into the next batch …
//		rec.Collected = true
//		st.Save()
//	}
//	chunks, _ := batchapi.Chunk(lines, 0, 0) // lines not in st.InFlight()
//	for _, ch := range chunks {
//		c.Submit(ctx, st, ch, meta, settings)
//	}
//
// # Limits
//
// A batch holds at most [MaxRequests] requests and [MaxBytes] bytes of
// JSONL, and requests for one model only; [Chunk] splits work to fit. The
// 24-hour completion window is the only one OpenAI offers. Metadata takes
// at most 16 pairs, two of which Submit uses.
//
// # Crash safety
//
// [Client.Submit] saves the state before each step that costs or creates
// something: the intent (an ID made of the SHA-256 of the JSONL and a
// nonce, with the custom ids) before the upload, the file id after it,
// the batch id after the create. The file is uploaded as "<ID>.jsonl" and
// the batch carries the ID and the hash in its metadata ([MetaID],
// [MetaHash]). So whatever point a run dies at, the next one can tell
// what exists:
//
//   - died before the upload, or during it: [Client.Recover] finds no
//     batch and abandons the record (deleting a file that did arrive); its
//     requests are planned again.
//   - died after the upload, before the create: the same, or, if the next
//     run submits the same chunk first, Submit finds the file by name and
//     creates the batch from it.
//   - died after the create, before recording the batch: Recover, or a
//     Submit of the same chunk, finds the batch by its metadata and records
//     it. Nothing is submitted twice.
//
// A create whose reply was lost and that was retried (the llm package's
// HTTP client retries timeouts and 5xx) may leave two batches for one
// record; Recover cancels the later one.
//
// Submit of a chunk whose JSONL matches an unfinished record returns that
// record rather than submitting again. Once a record is finished, the
// same chunk may be submitted anew, for instance after it expired.
//
// # Results
//
// [Client.Results] reads the output and error files tolerantly, as the
// files of a long-running service may hold surprises, and gives one
// [Result] per request in the order submitted: a chat completion, or a
// code and a reason. An expired batch gives what finished and
// [CodeExpired] for the rest. Results are not validated here; the
// pipeline validates them exactly as it does live replies.
//
// Downloads are checked against the size the Files API reports: an HTTP
// client that caps the size of a reply (the llm package's reads at most
// 32 MiB) yields an error rather than silently missing results.
//
// # State
//
// The state is a versioned JSON document, kept by a [StateStore] (the
// output folder's .nl2en-batches.json, written by package outputs) and
// replaced atomically on every save. A state of a newer version, or one
// that cannot be read, is an error: starting afresh would forget batches
// that are running and paid for. Each record keeps the caller's settings
// of its requests ([Record.Settings]) for whoever collects it.
//
// A server without a file listing (GET /v1/files) does not leave a
// submission cut short during its upload stuck: [Client.Recover] goes on
// without the listing, and the requests are uploaded again.
package batchapi
