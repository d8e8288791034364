package split

import (
	"testing"

	"github.com/nl2en/nl2en/pipeline"
)

func TestMarkdown(t *testing.T) {
	tests := []struct {
		name string
		text string
		want []string // kind:lead|text
	}{
		{"atx heading as title", "# Kop\n\nTekst.", []string{"title:# |Kop", "paragraph:\n\n|Tekst."}},
		{"closing hashes go to the next lead", "Tekst.\n\n## Kop ##\n\nMeer.", []string{"paragraph:|Tekst.", "heading:\n\n## |Kop", "paragraph: ##\n\n|Meer."}},
		{"setext heading", "Kop\n===\n\nTekst.", []string{"title:|Kop", "paragraph:\n===\n\n|Tekst."}},
		{"setext subheading", "Tekst.\n\nKop\n---\n\nMeer.", []string{"paragraph:|Tekst.", "heading:\n\n|Kop", "paragraph:\n---\n\n|Meer."}},
		{"thematic break", "Tekst.\n\n* * *\n\nMeer.", []string{"paragraph:|Tekst.", "paragraph:\n\n* * *\n\n|Meer."}},
		{"numbered list", "Stappen:\n\n1. Een\n2. Twee\n10) Tien", []string{"paragraph:|Stappen:", "list_item:\n\n1. |Een", "list_item:\n2. |Twee", "list_item:\n10) |Tien"}},
		{"nested list", "Lijst:\n\n- Een\n  - Half\n- Twee", []string{"paragraph:|Lijst:", "list_item:\n\n- |Een", "list_item:\n  - |Half", "list_item:\n- |Twee"}},
		{"lazy continuation", "Lijst:\n\n- Een lang\npunt\n- Twee", []string{"paragraph:|Lijst:", "list_item:\n\n- |Een lang\npunt", "list_item:\n- |Twee"}},
		{"emphasis kept", "Tekst.\n\nHet is ***heel*** **erg *duur***.", []string{"paragraph:|Tekst.", "paragraph:\n\n|Het is ***heel*** **erg *duur***."}},
		{"quote", "Tekst.\n\n> ‘Ja.’", []string{"paragraph:|Tekst.", "quote:\n\n> |‘Ja.’"}},
		{"quote over two lines", "Tekst.\n\n> Een\n> twee", []string{"paragraph:|Tekst.", "quote:\n\n> |Een\n> twee"}},
		{"two quoted paragraphs", "Tekst.\n\n> Een.\n>\n> Twee.", []string{"paragraph:|Tekst.", "quote:\n\n> |Een.", "quote:\n>\n> |Twee."}},
		{"nested quote", "Tekst.\n\n> > Diep.", []string{"paragraph:|Tekst.", "quote:\n\n> > |Diep."}},
		{"tweet in a quote", "Tekst.\n\n> Wat een dag. pic.twitter.com/x — Jan (@jan) 1 mei 2024", []string{"paragraph:|Tekst.", "embed:\n\n> |Wat een dag. pic.twitter.com/x — Jan (@jan) 1 mei 2024"}},
		{"signature as its own quoted paragraph", "Tekst.\n\n> Wat een dag.\n>\n> — Jan (@jan) 1 mei 2024", []string{"paragraph:|Tekst.", "embed:\n\n> |Wat een dag.\n>\n> — Jan (@jan) 1 mei 2024"}},
		{"lees ook with a link", "Tekst.\n\nLees ook: [Kop](https://example.nl)", []string{"paragraph:|Tekst.", "furniture:\n\n|Lees ook: [Kop](https://example.nl)"}},
		{"fenced code", "Tekst.\n\n```\n# geen kop\n```", []string{"paragraph:|Tekst.", "paragraph:\n\n|```\n# geen kop\n```"}},
		{"empty heading is text", "Tekst.\n\n##", []string{"paragraph:|Tekst.", "paragraph:\n\n|##"}},
		{"hashtag is no heading", "#nieuws gaat door", []string{"paragraph:|#nieuws gaat door"}},
		{"shape rules without headings", "Kop\n\nTekst.\n\nTussenkop\n\nMeer.", []string{"title:|Kop", "paragraph:\n\n|Tekst.", "heading:\n\n|Tussenkop", "paragraph:\n\n|Meer."}},
		{"no shape rules with headings", "# Kop\n\nTekst.\n\nGeen kop\n\n## Kop\n\nMeer.", []string{"title:# |Kop", "paragraph:\n\n|Tekst.", "paragraph:\n\n|Geen kop", "heading:\n\n## |Kop", "paragraph:\n\n|Meer."}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			segs := classify(parseMarkdown(tt.text), pipeline.FormatMarkdown)
			var got []string
			for _, s := range segs {
				got = append(got, string(s.Kind)+":"+s.Lead+"|"+s.Text)
			}
			if len(got) != len(tt.want) {
				t.Fatalf("got %q, want %q", got, tt.want)
			}
			for i := range got {
				if got[i] != tt.want[i] {
					t.Errorf("segment %d: got %q, want %q", i+1, got[i], tt.want[i])
				}
			}
		})
	}
}

func TestStripInline(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Het is *meer* en **veel** en ***alles***.", "Het is meer en veel en alles."},
		{"Zie [de raming](https://example.nl/a_b) nu.", "Zie de raming nu."},
		{"![Foto](x.jpg) Beeld ANP", "Foto Beeld ANP"},
		{"_cursief_ en @een_handle", "cursief en @een_handle"},
		{"`code` en ~~weg~~", "code en weg"},
	}
	for _, tt := range tests {
		if got := stripInline(tt.in); got != tt.want {
			t.Errorf("stripInline(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
