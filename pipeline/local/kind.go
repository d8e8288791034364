package local

import (
	"fmt"
	"net"
	"net/url"
	"strconv"
)

// Kind is a kind of local server.
type Kind int

// The kinds of server nl2en knows.
const (
	Unknown Kind = iota
	Ollama
	LMStudio
	LlamaCpp
	VLLM
)

// kinds is all nl2en knows of each kind: its name, the port it listens on
// by default, and the marks its model list leaves.
var kinds = []struct {
	kind    Kind
	name    string
	port    int
	ownedBy string // owned_by of the entries of its /v1/models
	server  string // its Server header, when it sends one
}{
	{Ollama, "Ollama", 11434, "library", ""},
	{LMStudio, "LM Studio", 1234, "organization_owner", ""},
	{LlamaCpp, "llama.cpp", 8080, "llamacpp", "llama.cpp"},
	{VLLM, "vLLM", 8000, "vllm", ""},
}

func (k Kind) String() string {
	for _, x := range kinds {
		if x.kind == k {
			return x.name
		}
	}
	return "unknown"
}

// ContextFix says how to start a server of this kind so that a request
// gets a context of n tokens.
func (k Kind) ContextFix(n int) string {
	switch k {
	case Ollama:
		return fmt.Sprintf("start Ollama with OLLAMA_CONTEXT_LENGTH=%d (or set PARAMETER num_ctx %d in the model's Modelfile)", n, n)
	case LlamaCpp:
		return fmt.Sprintf("start llama-server with -c %d per parallel slot (-c is shared among the -np slots)", n)
	case VLLM:
		return fmt.Sprintf("start vLLM with --max-model-len %d", n)
	}
	return fmt.Sprintf("give the server a context of %d tokens", n)
}

// ModelFix says how to give a server of this kind a model that can chat.
func (k Kind) ModelFix() string {
	if k == Ollama {
		return "pull one, e.g. ollama pull qwen2.5:7b-instruct"
	}
	return "load a chat model in it"
}

// DefaultPort is the port a kind of server listens on unless told
// otherwise; 0 for Unknown.
func (k Kind) DefaultPort() int {
	for _, x := range kinds {
		if x.kind == k {
			return x.port
		}
	}
	return 0
}

// KindAt is the kind of server that listens by default on the port of a
// base URL, or Unknown.
func KindAt(baseURL string) Kind {
	u, err := url.Parse(baseURL)
	if err != nil {
		return Unknown
	}
	port, err := strconv.Atoi(u.Port())
	if err != nil {
		return Unknown
	}
	for _, x := range kinds {
		if x.port == port {
			return x.kind
		}
	}
	return Unknown
}

// identify tells the kind of a server from its model list: the Server
// header, then the owners of its models; fallback when neither gives it
// away.
func identify(server string, ownedBy []string, fallback Kind) Kind {
	for _, x := range kinds {
		if x.server != "" && x.server == server {
			return x.kind
		}
	}
	for _, o := range ownedBy {
		for _, x := range kinds {
			if x.ownedBy == o {
				return x.kind
			}
		}
	}
	return fallback
}

// Candidate is an address where a local server may listen.
type Candidate struct {
	// Kind is the kind that listens there by default; the server's answer
	// may say otherwise.
	Kind Kind
	// Addr is host:port.
	Addr string
}

// BaseURL is the OpenAI-compatible base URL of a server at the candidate's
// address.
func (c Candidate) BaseURL() string { return "http://" + c.Addr + "/v1" }

// Candidates are the addresses [Probe] tries by default, in order of
// preference: each kind on its default port on the IPv4 loopback.
func Candidates() []Candidate {
	out := make([]Candidate, len(kinds))
	for i, x := range kinds {
		out[i] = Candidate{Kind: x.kind, Addr: net.JoinHostPort("127.0.0.1", strconv.Itoa(x.port))}
	}
	return out
}
