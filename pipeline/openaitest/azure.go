package openaitest

import (
	"net/http"
	"time"

	"github.com/sashabaranov/go-openai"
)

// minJSONSchemaVersion is the first Azure api-version that accepts
// response_format json_schema.
const minJSONSchemaVersion = "2024-08-01-preview"

// versionKey makes Azure api-versions ("2024-10-21",
// "2024-08-01-preview") comparable as strings: a preview sorts before the
// release of the same date. It reports false for anything else.
func versionKey(v string) (string, bool) {
	date, suffix := v, ""
	if len(v) > len("2006-01-02") {
		date, suffix = v[:len("2006-01-02")], v[len("2006-01-02"):]
	}
	if _, err := time.Parse("2006-01-02", date); err != nil {
		return "", false
	}
	switch suffix {
	case "":
		return date + " 1", true
	case "-preview":
		return date + " 0", true
	}
	return "", false
}

// azureAccepts checks what an Azure resource checks before it looks at the
// body: the api-version and the deployment. It answers and returns false
// when the request is refused.
func (s *Server) azureAccepts(w http.ResponseWriter, c *call, deployment string) bool {
	v := c.r.URL.Query().Get("api-version")
	key, ok := versionKey(v)
	if newest, _ := versionKey(s.opts.azureVersion); ok && newest != "" && key > newest {
		ok = false
	}
	if !ok {
		writeJSON(w, http.StatusNotFound, azureError("404", "Resource not found"))
		return false
	}
	if deployment != s.opts.azureDeployment {
		writeJSON(w, http.StatusNotFound, azureError("DeploymentNotFound", "The API deployment for this resource does not exist. If you created the deployment within the last 5 minutes, please wait a moment and try again."))
		return false
	}
	c.model = deployment
	minKey, _ := versionKey(minJSONSchemaVersion)
	if rf := c.chat.ResponseFormat; c.decErr == nil && rf != nil && rf.Type == openai.ChatCompletionResponseFormatTypeJSONSchema && key < minKey {
		writeJSON(w, http.StatusBadRequest, azureError("BadRequest", "response_format value as json_schema is enabled only for api versions "+minJSONSchemaVersion+" and later"))
		return false
	}
	return true
}
