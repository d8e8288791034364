package render

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"text/template"

	"github.com/nl2en/nl2en/pipeline"
)

// NameTemplate is the name of a format made by [TemplateFormat].
const NameTemplate = "template"

// TemplateFormat is a format that renders through a user's Go
// text/template in place of the built-in Markdown, into the same file
// (NAME.en.md). The template's data is the JSON [Document] as generic data,
// decoded into map[string]any, so that it has the JSON's keys
// ({{.summary.title}}, {{range .segments}}{{.text}}{{end}}) and its
// numbers are float64. Article text reaches the template only as data:
// template syntax inside an article is printed, never run.
//
// The output carries no stamp: its up-to-date check is the stamps of the
// outputs beside it, so a JSON output must be written with it. name names
// the template in errors, as the file it came from.
func TemplateFormat(name, text string) (Format, error) {
	t, err := template.New(name).Parse(text)
	if err != nil {
		return Format{}, err
	}
	render := func(w io.Writer, res *pipeline.Result, m Meta) error {
		data, err := templateData(res, m)
		if err != nil {
			return err
		}
		bw := bufio.NewWriter(w)
		if err := t.Execute(bw, data); err != nil {
			return err
		}
		return bw.Flush()
	}
	md, _ := Named(NameMarkdown)
	return Format{Name: NameTemplate, Suffix: md.Suffix, render: render}, nil
}

// templateData is the JSON document decoded as generic data.
func templateData(res *pipeline.Result, m Meta) (map[string]any, error) {
	var b bytes.Buffer
	if err := JSON(&b, res, m); err != nil {
		return nil, err
	}
	var data map[string]any
	if err := json.Unmarshal(b.Bytes(), &data); err != nil {
		return nil, fmt.Errorf("decode the document for the template: %w", err)
	}
	return data, nil
}
