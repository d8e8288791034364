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
		{"quote over two lines", "Tekst.\n\n> Een\n> twee", []string{"paragraph:|Tekst.", "quote:\n\n> |Een\ntwee"}},
		{"two quoted paragraphs", "Tekst.\n\n> Een.\n>\n> Twee.", []string{"paragraph:|Tekst.", "quote:\n\n> |Een.", "quote:\n>\n> |Twee."}},
		{"nested quote", "Tekst.\n\n> > Diep.", []string{"paragraph:|Tekst.", "quote:\n\n> > |Diep."}},
		{"tweet in a quote", "Tekst.\n\n> Wat een dag. pic.twitter.com/x — Jan (@jan) 1 mei 2024", []string{"paragraph:|Tekst.", "embed:\n\n> |Wat een dag. pic.twitter.com/x — Jan (@jan) 1 mei 2024"}},
		{"signature as its own quoted paragraph", "Tekst.\n\n> Wat een dag.\n>\n> — Jan (@jan) 1 mei 2024", []string{"paragraph:|Tekst.", "embed:\n\n> |Wat een dag.\n\n— Jan (@jan) 1 mei 2024"}},
		{"lees ook with a link", "Tekst.\n\nLees ook: [Kop](https://example.nl)", []string{"paragraph:|Tekst.", "furniture:\n\n|Lees ook: [Kop](https://example.nl)"}},
		{"fenced code", "Tekst.\n\n```\n# geen kop\n```", []string{"paragraph:|Tekst.", "paragraph:\n\n|```\n# geen kop\n```"}},
		{"empty heading is text", "Tekst.\n\n##", []string{"paragraph:|Tekst.", "paragraph:\n\n|##"}},
		{"hashtag is no heading", "#nieuws gaat door", []string{"paragraph:|#nieuws gaat door"}},
		{"shape rules without headings", "Kop\n\nTekst.\n\nTussenkop\n\nMeer.", []string{"title:|Kop", "paragraph:\n\n|Tekst.", "heading:\n\n|Tussenkop", "paragraph:\n\n|Meer."}},
		{"front matter title without a heading", "---\ntitle: \"Zwolle opent stalling\"\ntags: [fiets]\n---\n\nTekst.\n\n## Kop\n\nMeer.",
			[]string{"title:---\ntitle: \"|Zwolle opent stalling", "paragraph:\"\ntags: [fiets]\n---\n\n|Tekst.", "heading:\n\n## |Kop", "paragraph:\n\n|Meer."}},
		{"front matter title beside a heading", "---\ntitle: Blog\n---\n# Kop\n\nTekst.", []string{"title:---\ntitle: Blog\n---\n# |Kop", "paragraph:\n\n|Tekst."}},
		{"front matter title with escapes is metadata", "---\ntitle: \"Een \\\"kop\\\"\"\n---\nTekst.", []string{"paragraph:---\ntitle: \"Een \\\"kop\\\"\"\n---\n|Tekst."}},
		{"no front matter without a mapping", "---\nTekst over iets\n---\n\nMeer.", []string{"title:---\n|Tekst over iets", "paragraph:\n---\n\n|Meer."}},
		{"no front matter when keys are prose", "---\nLet op: dit is tekst.\n---\n\nMeer.", []string{"title:---\n|Let op: dit is tekst.", "paragraph:\n---\n\n|Meer."}},
		{"comments and mdx statements", "import { Quote } from \"@site/quote\";\nexport const a = {\n  b: 1,\n};\n\n# Kop\n\n<!-- truncate -->\n\nTekst.\n\n{/* notitie */}\n<!--\nmeer\n-->\nMeer.",
			[]string{"title:import { Quote } from \"@site/quote\";\nexport const a = {\n  b: 1,\n};\n\n# |Kop", "paragraph:\n\n<!-- truncate -->\n\n|Tekst.", "paragraph:\n\n{/* notitie */}\n<!--\nmeer\n-->\n|Meer."}},
		{"markup after the last segment", "Kop\n=\nexport const a = {\n  b: 1,\n};\n", []string{"title:|Kop"}},
		{"text right under a statement", "export const a = 1\nDit is tekst.\n\nimport {\n  B,\n} from \"b\"; // {\nexport const c = `{\n`;\nMeer tekst.",
			[]string{"paragraph:export const a = 1\n|Dit is tekst.", "paragraph:\n\nimport {\n  B,\n} from \"b\"; // {\nexport const c = `{\n`;\n|Meer tekst."}},
		{"import in a sentence is text", "# Kop\n\nimport van gas daalt.", []string{"title:# |Kop", "paragraph:\n\n|import van gas daalt."}},
		{"quote component", "# Kop\n\n<Blockquote\n  author=\"Jan\" data={{a: \"}\"}}>\n  Het was koud.\n</Blockquote>\n\nTekst.",
			[]string{"title:# |Kop", "quote:\n\n<Blockquote\n  author=\"Jan\" data={{a: \"}\"}}>\n  |Het was koud.", "paragraph:\n</Blockquote>\n\n|Tekst."}},
		{"html blocks", "# Kop\n\n<figure>\n<img src=\"a.jpg\" alt=\"x\">\n<figcaption>Een boom op een auto.</figcaption>\n</figure>\n\n<blockquote>‘Ja,’ zei hij.</blockquote>\n\n<em>Nadruk</em> in een zin.",
			[]string{"title:# |Kop", "caption:\n\n<figure>\n<img src=\"a.jpg\" alt=\"x\">\n<figcaption>|Een boom op een auto.", "quote:</figcaption>\n</figure>\n\n<blockquote>|‘Ja,’ zei hij.", "paragraph:</blockquote>\n\n|<em>Nadruk</em> in een zin."}},
		{"a closing tag holds only its name", "# Kop\n\n</div class=\"x\">Tekst.\n</div >", []string{"title:# |Kop", "paragraph:\n\n|</div class=\"x\">Tekst."}},
		{"autolink is text", "# Kop\n\n<https://example.nl>", []string{"title:# |Kop", "paragraph:\n\n|<https://example.nl>"}},
		{"image and italic caption", "# Kop\n\n![Boom](a.jpg)\n*Een boom op een auto.*\n\nTekst.\n\n![Dak](b.jpg)\n\n_Het dak na de storm._\n\nMeer.",
			[]string{"title:# |Kop", "media:\n\n|Boom", "caption:\n|*Een boom op een auto.*", "paragraph:\n\n|Tekst.", "media:\n\n|Dak", "caption:\n\n|_Het dak na de storm._", "paragraph:\n\n|Meer."}},
		{"images: linked, two on a line, text under one, a tracking pixel", "# Kop\n\n[![Kaart van de route](kaart.png)](https://example.nl/kaart)\n\n![Een](1.jpg) ![](2.jpg)\n\n![Stalling](stalling.jpg)\nDe stalling is open.\n\n![](https://t.example.nl/pixel.gif?id=3)\n\nEinde.",
			[]string{"title:# |Kop", "media:\n\n|Kaart van de route", "media:\n\n|Een", "media: |", "media:\n\n|Stalling", "paragraph:\n|De stalling is open.", "paragraph:\n\n![](https://t.example.nl/pixel.gif?id=3)\n\n|Einde."}},
		{"run-in bold heading", "# Kop\n\n**3. Wat als ik niet wil?**\nDan niet.\n\n**Vet en lang, met een komma,**\nen tekst.\n\n**Losse kop**\n\nTekst.",
			[]string{"title:# |Kop", "heading:\n\n**|3. Wat als ik niet wil?", "paragraph:**\n|Dan niet.", "paragraph:\n\n|**Vet en lang, met een komma,**\nen tekst.", "heading:\n\n**|Losse kop", "paragraph:**\n\n|Tekst."}},
		{"bold words are no heading", "# Kop\n\n**Een** en **twee**\nTekst.", []string{"title:# |Kop", "paragraph:\n\n|**Een** en **twee**\nTekst."}},
		{"numbered headings and a list", "# Kop\n\n1. Wat kost het?\n\nNiets.\n\n2. Wanneer?\n\nMorgen.\n\n1. Een\n2. Twee",
			[]string{"title:# |Kop", "heading:\n\n|1. Wat kost het?", "paragraph:\n\n|Niets.", "heading:\n\n|2. Wanneer?", "paragraph:\n\n|Morgen.", "list_item:\n\n1. |Een", "list_item:\n2. |Twee"}},
		{"intro and tweet in one paragraph", "# Kop\n\nZij schreef op X:\nWat een dag. — Jan (@jan) 1 mei 2024",
			[]string{"title:# |Kop", "paragraph:\n\n|Zij schreef op X:", "embed:\n|Wat een dag. — Jan (@jan) 1 mei 2024"}},
		{"no shape rules with headings", "# Kop\n\nTekst.\n\nGeen kop\n\n## Kop\n\nMeer.", []string{"title:# |Kop", "paragraph:\n\n|Tekst.", "paragraph:\n\n|Geen kop", "heading:\n\n## |Kop", "paragraph:\n\n|Meer."}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			units, _ := parseMarkdown(tt.text)
			segs := classify(units, pipeline.FormatMarkdown)
			checkLossless(t, pipeline.FormatMarkdown, segs, []byte(tt.text))
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
