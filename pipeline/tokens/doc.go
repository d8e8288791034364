// Package tokens counts the tokens of text and chat requests offline, with
// the tokenizer of the model's family, so that nl2en can say what an article
// will cost before it sends anything.
//
// # Models and encodings
//
// Counting is with o200k_base, which [ForModel] reports as exact
// ([Counter.Exact]) for the models whose own tokenizer it is: gpt-4o,
// chatgpt-4o, gpt-4.1, gpt-4.5, gpt-5 (and 5.x), o1, o3, o4 and their
// variants and dated snapshots. For anything else (the older gpt-4 and
// gpt-3.5-turbo, whose cl100k_base is not linked in; Llama, Qwen,
// Mistral; an Azure deployment named by its owner) o200k_base is an
// estimate. Its error on Dutch text is documented at [Counter.Exact].
//
// Provider routes such as "openai/gpt-4o" (OpenRouter) and fine-tune names
// such as "ft:gpt-4o-mini:org::id" count as their base model.
//
// [CountMessages] adds the chat format's overhead the way OpenAI's
// cookbook documents it (3 tokens per message, 1 per name, 3 to prime the
// reply). The cookbook checks that against the prompt_tokens the API
// reports for the gpt-4o family; newer models may add a few tokens of their
// own, so a count before sending is a close forecast, and the usage the API
// reports stays the figure to bill by.
//
// # The tokenizer library
//
// Counting uses github.com/tiktoken-go/tokenizer (package codec), chosen over
// github.com/pkoukk/tiktoken-go with its offline loader. Both agree with
// OpenAI's own tiktoken on every test string and on the sample article. The
// reasons for this one:
//
//   - Offline by construction: the vocabularies are compiled into the
//     binary as Go map literals. pkoukk/tiktoken-go downloads them over HTTP
//     unless a package-level loader is swapped in first, global state that
//     one forgotten call turns into a network fetch at run time.
//   - Faster: counting the 5 kB sample takes 0.5–0.7 ms against 1.2–1.5 ms,
//     and loading both encodings 65–85 ms against 480–530 ms (pkoukk parses
//     base64 vocabulary files at run time).
//   - Smaller: o200k_base and cl100k_base together add about 9.8 MB to a
//     binary (o200k_base alone about 7.2 MB); pkoukk's loader embeds all
//     four vocabulary files and pulls in net/http, about 13.6 MB.
//   - Safe for concurrent use: a codec holds no mutable state, and its
//     regexp engine takes a runner from a sync.Pool per match.
//
// Its cost is compile time: building the vocabulary tables from a cold
// build cache takes tens of seconds and hundreds of MB of memory, once per
// cache. Only o200k_base is linked in; the other encodings are dropped by
// the linker. Loading happens once per process for each vocabulary and
// once per [Counter] for its split expression, on the first Count.
package tokens
