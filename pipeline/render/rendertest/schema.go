package rendertest

import (
	"bytes"
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/nl2en/nl2en/pipeline/render"
)

// ValidateJSON fails t unless data is one JSON document that the schema
// of render.Schema accepts, formats (date-time) asserted.
func ValidateJSON(t testing.TB, data []byte) {
	t.Helper()
	if err := Validate(data); err != nil {
		t.Errorf("the JSON output does not validate against nl2en's schema: %v\n%.2000s", err, data)
	}
}

// Validate reports whether data is one JSON document that the schema
// accepts, and if not, why.
func Validate(data []byte) error {
	const id = "urn:nl2en:article:schema-version-1"
	schemaDoc, err := jsonschema.UnmarshalJSON(strings.NewReader(render.Schema()))
	if err != nil {
		return err
	}
	c := jsonschema.NewCompiler()
	c.AssertFormat()
	if err := c.AddResource(id, schemaDoc); err != nil {
		return err
	}
	sch, err := c.Compile(id)
	if err != nil {
		return err
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var doc any
	if err := dec.Decode(&doc); err != nil {
		return err
	}
	if dec.More() {
		return errors.New("more than one JSON value")
	}
	return sch.Validate(doc)
}
