package openaitest

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
)

// strictSchemaProblem checks a json_schema sent with "strict": true the way
// OpenAI does before it accepts it, and describes the first problem, or
// returns "". A schema that the real API would refuse must not pass here:
// every object needs "additionalProperties": false and must list all its
// properties in "required", and the root must be an object.
func strictSchemaProblem(raw []byte) string {
	var root any
	if len(raw) == 0 || json.Unmarshal(raw, &root) != nil {
		return "schema must be a JSON Schema of 'type: \"object\"', got 'type: \"None\"'."
	}
	m, ok := root.(map[string]any)
	if !ok || !isObjectSchema(m) {
		t := "None"
		if ok && m["type"] != nil {
			t = fmt.Sprint(m["type"])
		}
		return fmt.Sprintf("schema must be a JSON Schema of 'type: \"object\"', got 'type: \"%s\"'.", t)
	}
	return walkSchema(m, nil)
}

func isObjectSchema(m map[string]any) bool {
	switch t := m["type"].(type) {
	case string:
		return t == "object"
	case []any:
		return slices.Contains(t, any("object"))
	case nil:
		_, ok := m["properties"]
		return ok
	}
	return false
}

func walkSchema(node map[string]any, path []string) string {
	context := "()"
	if len(path) > 0 {
		context = "('" + strings.Join(path, "', '") + "')"
	}
	props, _ := node["properties"].(map[string]any)
	keys := make([]string, 0, len(props))
	for k := range props {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	if isObjectSchema(node) {
		if ap, ok := node["additionalProperties"]; !ok || ap != false {
			return fmt.Sprintf("In context=%s, 'additionalProperties' is required to be supplied and to be false.", context)
		}
		required := map[string]bool{}
		list, _ := node["required"].([]any)
		for _, r := range list {
			if s, ok := r.(string); ok {
				required[s] = true
			}
		}
		for _, k := range keys {
			if !required[k] {
				return fmt.Sprintf("In context=%s, 'required' is required to be supplied and to be an array including every key in properties. Missing '%s'.", context, k)
			}
		}
	}
	sub := func(v any, more ...string) string {
		m, ok := v.(map[string]any)
		if !ok {
			return ""
		}
		return walkSchema(m, append(slices.Clone(path), more...))
	}
	for _, k := range keys {
		if p := sub(props[k], "properties", k); p != "" {
			return p
		}
	}
	if p := sub(node["items"], "items"); p != "" {
		return p
	}
	for _, key := range []string{"anyOf", "allOf", "oneOf"} {
		list, _ := node[key].([]any)
		for i, v := range list {
			if p := sub(v, key, fmt.Sprint(i)); p != "" {
				return p
			}
		}
	}
	for _, key := range []string{"$defs", "definitions"} {
		defs, _ := node[key].(map[string]any)
		names := make([]string, 0, len(defs))
		for k := range defs {
			names = append(names, k)
		}
		slices.Sort(names)
		for _, k := range names {
			if p := sub(defs[k], key, k); p != "" {
				return p
			}
		}
	}
	return ""
}
