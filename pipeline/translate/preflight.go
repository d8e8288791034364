package translate

import (
	"errors"
	"fmt"
	"strconv"
	"strings"

	openai "github.com/sashabaranov/go-openai"

	"github.com/nl2en/nl2en/pipeline"
)

// What a caller may check before a run (nl2en doctor): whether the server
// takes the requests the run will send, and how much context they need.

// Window is the context, in tokens, that the largest requests of a run
// need: the prompt as the model's tokenizer counts it plus the reply
// allowance the request sets. A server that gives less cuts the prompt
// (Ollama does so silently) or refuses the request.
type Window struct {
	// Translate is a translation request of a full batch of ordinary
	// paragraphs, with their context and the reply allowance.
	Translate int
	// Summary is the summary request of an article at least as long as a
	// summary reads.
	Summary int
	// SummaryInput is the most tokens of Dutch a summary reads: a longer
	// article is summarised from its start.
	SummaryInput int
}

// windowParagraph is an ordinary news paragraph, to fill requests with.
const windowParagraph = "De gemeenteraad van Zwolle besprak dinsdagavond opnieuw het plan voor een nieuwe fietsbrug over de IJssel. " +
	"Volgens de wethouder kost de brug ruim twaalf miljoen euro en is hij over drie jaar klaar. " +
	"Omwonenden vrezen meer verkeer in hun straat, maar de meeste fracties steunen het voorstel."

// Window works out the context the run's requests need by building them,
// as the run would, for an article of ordinary paragraphs long enough to
// fill every batch and the summary's input.
func (t *Translator) Window() Window {
	art := &pipeline.Article{Name: "window", Format: pipeline.FormatText}
	per := max(t.count(windowParagraph), 1)
	for n := 0; n <= summaryInputTokens+t.cfg.TokenBudget; n += per {
		art.Segments = append(art.Segments, pipeline.Segment{
			ID: "s" + strconv.Itoa(len(art.Segments)+1), Kind: pipeline.KindParagraph, Text: windowParagraph, Lang: "nl",
		})
	}
	w := Window{SummaryInput: summaryInputTokens}
	// Full batches, the most a request carries, however the run spreads
	// an article.
	for _, b := range Plan(art, t.cfg.TokenBudget, t.count) {
		req := t.translationRequest(art, b.Units, nil, pipeline.RequestTranslate, ModeJSONSchema)
		w.Translate = max(w.Translate, t.estimate(req))
	}
	w.Summary = t.estimate(t.summaryRequest(t.summaryInput(art, summaryInputTokens), ModeJSONSchema))
	return w
}

// trialText is the segment of the trial request.
const trialText = "De trein naar Utrecht vertrekt om half negen."

// trial is the article and unit of the trial request: one sentence.
func (t *Translator) trial() (*pipeline.Article, []Unit) {
	art := &pipeline.Article{Name: "trial", Format: pipeline.FormatText, Segments: []pipeline.Segment{
		{ID: "s1", Kind: pipeline.KindParagraph, Text: trialText, Lang: "nl"},
	}}
	return art, []Unit{{ID: "s1", SegmentID: "s1", Text: trialText, Tokens: t.count(trialText)}}
}

// TrialRequest is the smallest real translation request: one short Dutch
// sentence as segment "s1", with the run's prompt, model and reply limit,
// asking for strict json_schema output as every run asks first. Sending
// it tells whether the server takes nl2en's structured output.
func (t *Translator) TrialRequest() openai.ChatCompletionRequest {
	art, units := t.trial()
	return t.translationRequest(art, units, nil, pipeline.RequestTranslate, ModeJSONSchema)
}

// TrialReply checks the reply to [Translator.TrialRequest] and returns the
// English of the sentence.
func TrialReply(resp openai.ChatCompletionResponse) (string, error) {
	if r := refusal(resp); r != "" {
		return "", &refusalError{msg: r}
	}
	if len(resp.Choices) == 0 {
		return "", errors.New("the reply had no content")
	}
	if resp.Choices[0].FinishReason == openai.FinishReasonLength {
		return "", errTruncated
	}
	var out translationOutput
	if err := decodeReply(resp.Choices[0].Message.Content, &out); err != nil {
		return "", fmt.Errorf("the reply is not the JSON asked for: %w", err)
	}
	for _, it := range out.Segments {
		if it.ID == "s1" && strings.TrimSpace(it.Text) != "" {
			return strings.TrimSpace(it.Text), nil
		}
	}
	return "", errors.New("the reply lacks the English of segment s1")
}
