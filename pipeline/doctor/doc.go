// Package doctor checks a setup before a run: that the server answers,
// takes the key, serves the model and nl2en's structured output, gives
// requests enough context, and that prices, the cache folder and the
// output folder are in order. It is `nl2en doctor`'s work; the command
// prints the checklist and words the fixes.
//
// [Run] returns a [Report]: one [Result] per [Check], in the order of
// [Checks], each with a [Status] and, when it is not ok, a [Problem] that
// says what was found in terms a caller can branch on. Like every package
// under pipeline, it never prints and names no flag or environment
// variable: its details say what was found, the command says what to set.
//
// # What is sent
//
// Without [Options.Offline], Run asks the server for its model list (not
// for Azure OpenAI, whose list holds models, not deployments), sends one
// translation request of one sentence with strict json_schema output
// ([translate.Translator.TrialRequest]; [Options.Sending] is told before
// it goes), and asks Ollama, when the server is one, about the model's
// context through its native API. Offline, nothing is sent: the checks
// that need the server are skipped. Requests to a server that needs a key
// are not sent without one.
//
// # Context windows
//
// The context a request gets is compared with what the run's requests need
// ([translate.Translator.Window]): a translation request of a full batch
// must fit, or every batch is cut (Ollama cuts the start of a prompt
// without an error) or refused; a summary reads up to 12,000 tokens of
// Dutch, and a window too small for that fails only longer articles, so it
// is a warning. Ollama tells the context of a loaded model; since the
// trial request loads it, the check after it reads the real figure.
// nl2en counts tokens with OpenAI's tokenizers, and a local model's may
// split text finer: when the server's count of the trial prompt differs
// from nl2en's by more than a tenth, the needs are scaled by that ratio.
package doctor
