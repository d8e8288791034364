package llm

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"strings"
	"syscall"
	"time"

	openai "github.com/sashabaranov/go-openai"

	"github.com/nl2en/nl2en/pipeline/redact"
)

// DefaultBaseURL is OpenAI's API.
const DefaultBaseURL = "https://api.openai.com/v1"

// DefaultAzureAPIVersion is the oldest Azure OpenAI API version that accepts
// response_format json_schema; go-openai's own default (2023-05-15) rejects it.
const DefaultAzureAPIVersion = "2024-10-21"

// Config says how to reach the API.
type Config struct {
	APIKey  string
	BaseURL string
	// Azure selects Azure OpenAI: BaseURL is the resource endpoint
	// (https://NAME.openai.azure.com) and the model name is the deployment.
	Azure           bool
	AzureAPIVersion string
	// Timeout bounds one HTTP attempt, including reading the reply.
	Timeout time.Duration
	// MaxRetries is how many times a transient failure is retried.
	MaxRetries int
	// InitialBackoff is the first wait before a retry when the server gives
	// no Retry-After; it doubles up to eight times itself. Zero is 500ms, as
	// in the official clients.
	InitialBackoff time.Duration
	// MaxConns caps connections per host; it should be at least the number
	// of requests in flight.
	MaxConns int
	Logger   *slog.Logger
	// Pacer, if set, is consulted before every attempt and told of every
	// response, so that one rate limit is shared by a whole run.
	Pacer Pacer
	// Dial, if set, opens the connections in place of a net.Dialer: tests
	// give it refusals and DNS answers without touching the network.
	Dial func(ctx context.Context, network, addr string) (net.Conn, error)
	// Proxy and RootCAs, when set, replace the proxy and the TLS roots Go
	// reads from the process environment: settings read from a .env file
	// reach the connections without changing the environment.
	Proxy   func(*http.Request) (*url.URL, error)
	RootCAs *x509.CertPool
}

// IsAzureURL reports whether a base URL looks like an Azure OpenAI endpoint.
func IsAzureURL(base string) bool {
	u, err := url.Parse(base)
	if err != nil {
		return false
	}
	h := strings.ToLower(u.Hostname())
	return strings.HasSuffix(h, ".openai.azure.com") || strings.HasSuffix(h, ".cognitiveservices.azure.com")
}

// NewClient returns a go-openai client that retries through [Doer]. A
// placeholder key ([IsPlaceholderKey]) is not sent. The errors of the
// replies that fail for good say which URL was tried and, where the
// server can tell, what to use instead (see [Error]).
func NewClient(cfg Config) *openai.Client {
	base := cfg.BaseURL
	if base == "" {
		base = DefaultBaseURL
	}
	if IsPlaceholderKey(cfg.APIKey) {
		cfg.APIKey = ""
	}
	var oc openai.ClientConfig
	if cfg.Azure {
		oc = openai.DefaultAzureConfig(cfg.APIKey, base)
		oc.APIVersion = cfg.AzureAPIVersion
		if oc.APIVersion == "" {
			oc.APIVersion = DefaultAzureAPIVersion
		}
		// Deployment names are the user's to choose: use them as given.
		oc.AzureModelMapperFunc = func(model string) string { return model }
	} else {
		oc = openai.DefaultConfig(cfg.APIKey)
		oc.BaseURL = base
	}
	oc.HTTPClient = &clientDoer{Doer: NewDoer(cfg), base: base, azure: cfg.Azure, key: cfg.APIKey}
	return openai.NewClientWithConfig(oc)
}

// newHTTPClient gives go-openai a transport that keeps enough idle
// connections for parallel requests; the default keeps two per host, so
// every third request in flight would open a new TLS connection.
func newHTTPClient(cfg Config) *http.Client {
	maxConns, dial := cfg.MaxConns, cfg.Dial
	if maxConns < 4 {
		maxConns = 4
	}
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.MaxIdleConns = maxConns * 2
	tr.MaxIdleConnsPerHost = maxConns
	tr.ResponseHeaderTimeout = 0 // bounded per attempt by the Doer's context
	tr.DialContext = (&net.Dialer{Timeout: 10 * time.Second, KeepAlive: 30 * time.Second}).DialContext
	if dial != nil {
		tr.DialContext = dial
	}
	if cfg.Proxy != nil {
		tr.Proxy = cfg.Proxy
	}
	if cfg.RootCAs != nil {
		tr.TLSClientConfig = &tls.Config{RootCAs: cfg.RootCAs}
	}
	// No Client.Timeout: each attempt has its own deadline in the Doer, and
	// a client-wide timeout would also cut reading a large reply.
	return &http.Client{Transport: tr}
}

// Host is the scheme and host of a base URL, for messages: it names the
// server without any path, query or credentials.
func Host(base string) string {
	u, err := url.Parse(base)
	if err != nil || u.Host == "" {
		return base
	}
	return u.Scheme + "://" + u.Host
}

// RedactURL returns a base URL without user info or query, safe to log and
// to write into output files. It is [redact.BaseURL]: package redact is
// the one home of what nl2en keeps out of its logs and files.
func RedactURL(base string) string { return redact.BaseURL(base) }

// isNetError reports whether err is a failure to reach the server at all.
func isNetError(err error) bool {
	var ne net.Error
	var oe *net.OpError
	var de *net.DNSError
	return errors.As(err, &oe) || errors.As(err, &de) || errors.As(err, &ne)
}

// refused reports a connection refused: nothing listens at the address.
// (Windows reports it as WSAECONNREFUSED, which this does not see: there
// the connection is retried as any other network error.)
func refused(err error) bool {
	return errors.Is(err, syscall.ECONNREFUSED)
}

// unknownHost reports a host name that DNS says does not exist
// (NXDOMAIN), as opposed to a lookup that failed for now.
func unknownHost(err error) bool {
	var de *net.DNSError
	return errors.As(err, &de) && de.IsNotFound && !de.IsTemporary && !de.IsTimeout
}

func describeNetError(err error) string {
	var de *net.DNSError
	switch {
	case errors.As(err, &de) && unknownHost(err):
		return "unknown host " + de.Name
	case errors.As(err, &de):
		return fmt.Sprintf("cannot resolve host %s: %s", de.Name, de.Err)
	case refused(err):
		return "connection refused"
	}
	msg := err.Error()
	switch {
	case strings.Contains(msg, "connection reset"):
		return "connection reset"
	case strings.Contains(msg, "EOF"):
		return "connection closed without a reply"
	case strings.Contains(msg, "certificate"):
		return "TLS certificate problem"
	}
	var ue *url.Error
	if errors.As(err, &ue) {
		return ue.Err.Error()
	}
	return msg
}

// NeedsKey reports whether the server cannot work without a key: OpenAI
// (api.openai.com and its regional hosts such as eu.api.openai.com),
// Azure, OpenRouter and the other hosted APIs in keyedHosts can't, while
// local servers (Ollama, llama.cpp, LM Studio, vLLM) accept any or none.
// A server not known to need one may still answer 401: the [Error] then
// says that no key was sent.
func NeedsKey(baseURL string, azure bool) bool {
	u, err := url.Parse(baseURL)
	if err != nil {
		return true
	}
	h := strings.TrimSuffix(strings.ToLower(u.Hostname()), ".")
	if azure || IsAzureURL(baseURL) {
		return true
	}
	for _, k := range keyedHosts {
		if h == k || strings.HasSuffix(h, "."+k) {
			return true
		}
	}
	return false
}

// keyedHosts are the hosted OpenAI-compatible APIs, each with its
// subdomains, that answer nothing without a key.
var keyedHosts = []string{
	"openai.com",                        // OpenAI, and its eu. and us. data-residency hosts
	"azure.com",                         // Azure OpenAI and Azure AI Foundry
	"openrouter.ai",                     // OpenRouter
	"groq.com",                          // Groq
	"together.xyz",                      // Together AI
	"mistral.ai",                        // Mistral
	"deepseek.com",                      // DeepSeek
	"fireworks.ai",                      // Fireworks
	"x.ai",                              // xAI
	"perplexity.ai",                     // Perplexity
	"deepinfra.com",                     // DeepInfra
	"cerebras.ai",                       // Cerebras
	"anthropic.com",                     // Anthropic's OpenAI-compatible endpoint
	"generativelanguage.googleapis.com", // Gemini's OpenAI-compatible endpoint
	"router.huggingface.co",             // Hugging Face inference providers
}

// placeholderKeys are what example files and tutorials put where a key
// goes, lower-cased.
var placeholderKeys = map[string]bool{
	"your-key": true, "your_key": true, "your-api-key": true, "your_api_key": true,
	"yourkey": true, "api-key": true, "apikey": true, "changeme": true, "change-me": true,
	"sk-your-key": true, "sk-your-key-here": true, "your-key-here": true, "xxx": true, "none": true,
}

// IsPlaceholderKey reports whether key is not a key at all: empty, or a
// placeholder from an example file ("sk-...", "your-key", "<key>"). Such a
// key must not be sent to a server that needs a real one, where it would
// only earn a 401, or worse, retries against a host that does not exist.
func IsPlaceholderKey(key string) bool {
	k := strings.ToLower(strings.TrimSpace(key))
	switch {
	case k == "":
		return true
	case placeholderKeys[k]:
		return true
	case strings.Contains(k, "...") || strings.Contains(k, "…"):
		return true
	case strings.HasPrefix(k, "<") && strings.HasSuffix(k, ">"):
		return true
	case strings.Trim(k, "x*.-_") == "" || strings.Trim(strings.TrimPrefix(k, "sk-"), "x*.-_") == "":
		return true
	}
	return false
}
