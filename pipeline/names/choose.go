package names

// Layer says what decided a name's English form.
type Layer string

const (
	LayerStyle    Layer = "style"    // the house style avoids the other forms
	LayerGlossary Layer = "glossary" // the glossary gives the name's English form
	LayerMemory   Layer = "memory"   // the names memory learned it
	LayerArticle  Layer = "article"  // most of the article's segments give it
	LayerFirst    Layer = "first"    // as many give another; it came first
)

// Form is one English form an article gives a name, with how many of
// its segments give it.
type Form struct {
	English  string
	Segments int
}

// Style is what choosing needs of a house style: *check.Style has it.
type Style interface {
	// Preferred returns the form written in place of form, when the
	// style avoids form.
	Preferred(form string) (string, bool)
	// Prefers reports whether the style writes form.
	Prefers(form string) bool
}

// Layers are what decides a name's English form above an article's own
// renderings of it, strongest first; a nil field has no say.
type Layers struct {
	Style Style
	// Glossary returns the English form the glossary gives a Dutch
	// term.
	Glossary func(dutch string) (target string, ok bool)
	Memory   *Memory
}

// Choice is the form chosen for a name, and what chose it.
type Choice struct {
	English string
	From    Layer
}

// Choose picks the one form an article gives a Dutch name it renders in
// forms (in the order the article first gives them): the form the house
// style writes in place of one of them, or one of them it writes; else
// the glossary's; else the memory's; else the one most segments give,
// the first of those.
func (l Layers) Choose(dutch string, forms []Form) Choice {
	if l.Style != nil {
		for _, f := range forms {
			if p, avoided := l.Style.Preferred(f.English); avoided {
				return Choice{p, LayerStyle}
			}
		}
		for _, f := range forms {
			if l.Style.Prefers(f.English) {
				return Choice{f.English, LayerStyle}
			}
		}
	}
	if l.Glossary != nil {
		if target, ok := l.Glossary(dutch); ok {
			return Choice{target, LayerGlossary}
		}
	}
	if had, ok := l.Memory.Lookup(dutch); ok {
		return Choice{had, LayerMemory}
	}
	best := 0
	for i, f := range forms {
		if f.Segments > forms[best].Segments {
			best = i
		}
	}
	from := LayerArticle
	for i, f := range forms {
		if i != best && f.Segments == forms[best].Segments {
			from = LayerFirst
		}
	}
	if len(forms) == 0 {
		return Choice{}
	}
	return Choice{forms[best].English, from}
}

// Repair reports whether a segment that gives a name the form english,
// where the article gives it forms in all, is to be repaired to the
// choice c: one that gives another form, where the article gives more
// than one; where it gives one only, one that the memory has in another
// form, unless the style or the glossary has a say (they are checked as
// terms, and repaired as such).
func Repair(forms []Form, c Choice, english string) bool {
	if english == c.English || c.English == "" {
		return false
	}
	if len(forms) > 1 {
		return true
	}
	// One form: only the memory holds it to another.
	return c.From == LayerMemory
}
