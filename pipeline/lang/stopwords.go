package lang

import "strings"

// dutchWords are frequent words of Dutch news that are not English words
// (or too rare in English to matter).
const dutchWords = `de het een en niet zijn wordt worden werd werden dat deze dit
	voor op te aan uit bij naar ook maar nog om er hij ze zij wij ik jij je hun haar heeft
	hebben hebt heb kan kunnen moet moeten zou zouden zal zullen als wel geen meer nu wat
	wie waar omdat toen tegen onder zo ons onze mijn welke waarin daar hier alle veel
	zonder tussen sinds volgens na echter niets iets waren bent doordat
	terwijl zich gaat komt kwam zei zegt nadat waardoor waarbij inmiddels steeds
	vandaag gisteren morgen jaar uur procent miljoen miljard duizend ongeveer bijna
	ruim zeker alleen weer eerst vooral daarna daarom daarmee waarvan mij jullie
	geworden gedaan gemaakt hadden nooit altijd misschien tijdens
	dus toch nieuwe grote andere eigen ervan erop ermee erin stad blijven blijft
	maandag dinsdag woensdag donderdag vrijdag zaterdag zondag januari februari maart
	mei juni juli augustus oktober mensen twee drie vier vijf zes zeven acht negen tien
	dag dagen weken maand maanden jaren minuten staat ligt krijgt maakt laat blijkt
	gaan komen laten maken goed groot klein eerste tweede zeer erg boven achter naast
	binnen buiten langs rond vanaf zowel reeds meest minder waarom wanneer
	hoewel zodat nieuw oude moest kon konden mocht wilde willen zien
	gezien zeggen gezegd hele geleden volgende vorige afgelopen aldus
	z'n m'n zo'n d'r heel hoe dan tot hem`

// englishWords are frequent words of English that are not Dutch words.
const englishWords = `the and to a an are not were be has have with for that this it
	its on at by from which who will would can could should they their there she his
	her our you but or also after than into about these those what when where how no
	all only still said says if because while before more most other such some any
	each between during through since until us them him my your very just now then so
	up out do does did being made make first year years people new last told against
	million billion thousand however although around according don't doesn't didn't
	isn't aren't wasn't won't can't it's that's there's i'm i've we're we've they're he
	you're he's she's let's cannot here why whose whom again off down never always must
	might may own both few many much same another every nothing something anything
	already yet ago next though without within across among towards upon despite
	whether himself herself themselves itself today yesterday tomorrow say get got
	went came take took taken give gave know knew think thought going i`

// bothWords are Dutch words as frequent in English news, so they tell
// neither: "die", "met", "door", "even" and "van" are English words too,
// "we", "been", "as" and "per" Dutch ones.
const bothWords = `die met door even van ben al we been per cent percent as is in was
	of had want over`

// otherLanguages are the languages besides Dutch and English that quotes
// in Dutch news are most often in, and the words that tell them. A word
// frequent in Dutch or English is left out.
var otherLanguages = [...]struct {
	lang  Language
	words string
}{
	{German, `und ist nicht eine einen einem einer auf für sich wir sie sind wird
		wurde wurden mit von zu auch nach bei aus ich nur oder aber wenn kann hat haben
		schon über mehr sehr dass diese dieser dieses keine kein ihr ihre uns unser
		doch immer jetzt noch heute gegen ohne durch viel viele das dem`},
	{French, `les est et une dans pour qui pas avec sont aux ces leur leurs du des
		que ne sur au elle il ils nous vous mais ou été être cette comme fait ont le la
		par sa ses nos notre votre très aussi tout tous entre ici`},
	{Spanish, `los las y del por para una con está pero muy el que se lo es como
		más fue han sus su esta este también sobre entre todo ya nos sido
		aquí ahora porque cuando donde`},
	{Italian, `il di che una sono della delle degli del nel nella alla anche
		più gli lo le è questo questa loro essere stato molto perché quando
		dove tutto tutti ci si`},
	{Portuguese, `não uma os das dos para por mais como mas ao ele ela foi está
		são também muito seu sua pelo pela isso já há que se da em`},
}

// stopword says which languages a frequent word tells.
type stopword struct {
	dutch, english, both bool
	other                uint8 // bit i: otherLanguages[i]
}

// stopwords maps each frequent word to the languages it tells. A word in
// the Dutch or English lists tells that language only, even when it is
// also frequent in a third one ("die" is German too).
var stopwords = buildStopwords()

func buildStopwords() map[string]stopword {
	m := make(map[string]stopword)
	for i, o := range otherLanguages {
		for _, w := range strings.Fields(o.words) {
			s := m[w]
			s.other |= 1 << i
			m[w] = s
		}
	}
	for _, w := range strings.Fields(dutchWords) {
		m[w] = stopword{dutch: true}
	}
	for _, w := range strings.Fields(englishWords) {
		m[w] = stopword{english: true}
	}
	for _, w := range strings.Fields(bothWords) {
		m[w] = stopword{both: true}
	}
	return m
}

// DutchWord reports whether w, in lower case, is a frequent Dutch word,
// including those frequent in English too ("die", "van", "we").
func DutchWord(w string) bool {
	s := stopwords[w]
	return s.dutch || s.both
}

func setOf(s string) map[string]bool {
	m := make(map[string]bool)
	for _, w := range strings.Fields(s) {
		m[w] = true
	}
	return m
}
