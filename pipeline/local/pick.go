package local

import (
	"errors"
	"fmt"
	"strings"
)

// Reason says why [Pick] chose a model.
type Reason int

// The reasons for a choice.
const (
	ReasonSet       Reason = iota + 1 // the user set it
	ReasonOnly                        // the only model that can chat
	ReasonPreferred                   // the first instruction-tuned or chat model of several
	ReasonFirst                       // the first of several, none marked as chat
)

// Choice is the model [Pick] chose.
type Choice struct {
	Model  string
	Reason Reason
	// Of is how many models that can chat the server lists.
	Of int
	// Listed says whether the server lists the model; a model the user
	// set may not be listed.
	Listed bool
}

// How says how the model was chosen, when there was a choice to make:
// "the first instruct or chat model of the 3 it lists", "as set, though
// the server does not list it"; "" for the only model, or one set and
// listed.
func (c Choice) How() string {
	switch {
	case c.Reason == ReasonPreferred:
		return fmt.Sprintf("the first instruct or chat model of the %d it lists", c.Of)
	case c.Reason == ReasonFirst:
		return fmt.Sprintf("the first of the %d models it lists", c.Of)
	case c.Reason == ReasonSet && !c.Listed:
		return "as set, though the server does not list it"
	}
	return ""
}

// ErrNoChatModel is returned by [Pick] when the server lists only models
// that cannot chat (embedding, reranking).
var ErrNoChatModel = errors.New("it lists no model that can chat, only embedding or reranking models")

// notChat are the starts of words in the names of models that do not
// chat: nomic-embed-text, text-embedding-3-small, bge-m3, all-minilm,
// jina-reranker-v2, whisper-large.
var notChat = []string{"embed", "rerank", "bge", "minilm", "whisper"}

// chatMarks are words in the names of models tuned to follow instructions:
// qwen2.5:7b-instruct, Meta-Llama-3.1-8B-Instruct, deepseek-llm:7b-chat,
// gemma-2-9b-it.
var chatMarks = []string{"instruct", "chat", "it"}

// Pick chooses the model to use from the names a server lists, by the rule
// in the package documentation; set is the model the user set, or "".
func Pick(models []string, set string) (Choice, error) {
	var chat []string
	for _, m := range models {
		if !hasWord(m, notChat, strings.HasPrefix) {
			chat = append(chat, m)
		}
	}
	if set != "" {
		c := Choice{Model: set, Reason: ReasonSet, Of: len(chat)}
		for _, m := range models {
			if sameModel(m, set) {
				c.Listed = true
			}
		}
		return c, nil
	}
	switch len(chat) {
	case 0:
		return Choice{}, ErrNoChatModel
	case 1:
		return Choice{Model: chat[0], Reason: ReasonOnly, Of: 1, Listed: true}, nil
	}
	for _, m := range chat {
		if hasWord(m, chatMarks, func(w, p string) bool { return w == p }) {
			return Choice{Model: m, Reason: ReasonPreferred, Of: len(chat), Listed: true}, nil
		}
	}
	return Choice{Model: chat[0], Reason: ReasonFirst, Of: len(chat), Listed: true}, nil
}

// hasWord reports whether a word of the model's name, without the folders
// of a path (llama.cpp lists the model file), matches one of parts.
func hasWord(model string, parts []string, match func(word, part string) bool) bool {
	name := strings.ToLower(model[strings.LastIndexByte(model, '/')+1:])
	words := strings.FieldsFunc(name, func(r rune) bool {
		return !('a' <= r && r <= 'z' || '0' <= r && r <= '9')
	})
	for _, w := range words {
		for _, p := range parts {
			if match(w, p) {
				return true
			}
		}
	}
	return false
}
