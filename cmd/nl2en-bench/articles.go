package main

import (
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
)

// The articles are invented: regional news of the kind a Dutch paper runs
// every night, put together from the sentence frames below with names,
// places and figures drawn from a generator seeded by -seed. The same seed
// gives byte-identical files.

var (
	places = []string{
		"Zwolle", "Deventer", "Leeuwarden", "Assen", "Emmen", "Apeldoorn", "Almere",
		"Amersfoort", "Gouda", "Delft", "Leiden", "Haarlem", "Alkmaar", "Hoorn",
		"Breda", "Tilburg", "Eindhoven", "Helmond", "Venlo", "Roermond", "Maastricht",
		"Middelburg", "Vlissingen", "Dordrecht", "Nijmegen", "Arnhem", "Ede",
		"Groningen", "Enschede", "Hengelo", "Oss", "Den Bosch", "Lelystad", "Zaandam",
	}
	provinces = []string{
		"Overijssel", "Gelderland", "Friesland", "Drenthe", "Groningen", "Utrecht",
		"Noord-Holland", "Zuid-Holland", "Zeeland", "Noord-Brabant", "Limburg", "Flevoland",
	}
	firstNames = []string{
		"Anouk", "Bram", "Carlijn", "Daan", "Esther", "Floris", "Griet", "Hidde",
		"Ilse", "Joost", "Karin", "Lucas", "Marloes", "Niels", "Oona", "Pieter",
		"Roos", "Sander", "Tessa", "Wouter", "Yara", "Ruben", "Fenna", "Jelle",
	}
	lastNames = []string{
		"de Boer", "Verhoeven", "Jansen", "van Dijk", "Bakker", "Smits", "Mulder",
		"de Graaf", "Kuipers", "Hendriks", "van der Linden", "Bosman", "Veenstra",
		"Schouten", "Brouwer", "Postma", "van Leeuwen", "Dekker", "Koster", "Wijnands",
	}
	roles = []string{
		"wethouder", "burgemeester", "gedeputeerde", "raadslid", "directeur",
		"woordvoerder", "onderzoeker", "voorzitter", "projectleider", "econoom",
	}
	bodies = []string{
		"de gemeenteraad", "het college van B&W", "de provincie", "het waterschap",
		"de woningcorporatie", "de veiligheidsregio", "het ministerie van Infrastructuur",
		"de GGD", "de ondernemersvereniging", "de plaatselijke sportclub",
		"de bewonerscommissie", "het ziekenhuis", "de Rekenkamer", "de vakbond",
	}
	agencies = []string{"ANP", "AP", "Reuters", "Hollandse Hoogte", "AFP"}
	months   = []string{
		"januari", "februari", "maart", "april", "mei", "juni", "juli",
		"augustus", "september", "oktober", "november", "december",
	}
	days = []string{"maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag", "zondag"}
)

// topic is what an article is about: the words its frames are filled with.
type topic struct {
	subject  string   // "de nieuwe woonwijk"
	plan     string   // "het bouwplan"
	things   []string // what is counted: "woningen"
	worries  []string // what critics fear
	headings []string
}

var topics = []topic{
	{"de nieuwe woonwijk", "het bouwplan", []string{"woningen", "sociale huurwoningen", "parkeerplaatsen"},
		[]string{"te weinig betaalbare huizen", "meer verkeer in de smalle straten", "het verlies van groen"},
		[]string{"Wachtlijst", "Betaalbaar bouwen", "Bezwaren van buurtbewoners", "Hoe nu verder"}},
	{"de verbreding van de ringweg", "het verkeersplan", []string{"auto's per dag", "fietspaden", "bomen"},
		[]string{"geluidsoverlast", "fijnstof langs de school", "jarenlange omleidingen"},
		[]string{"Files", "Geluidsschermen", "Kritiek uit de raad", "Planning"}},
	{"de sluiting van het zwembad", "het bezuinigingsplan", []string{"bezoekers per jaar", "banen", "zwemlessen"},
		[]string{"dat kinderen niet meer leren zwemmen", "verlies van een ontmoetingsplek", "hogere kosten voor verenigingen"},
		[]string{"Verontwaardiging", "Alternatieven", "Wat zegt de gemeente", "Petitie"}},
	{"het tekort aan leraren", "het onderwijsplan", []string{"vacatures", "leerlingen", "scholen"},
		[]string{"grotere klassen", "uitval van lessen", "een vierdaagse schoolweek"},
		[]string{"Noodoplossingen", "Zij-instromers", "Ouders ongerust", "Landelijk beeld"}},
	{"de uitbreiding van het zonnepark", "het energieplan", []string{"zonnepanelen", "huishoudens", "hectare landbouwgrond"},
		[]string{"aantasting van het landschap", "een vol stroomnet", "lagere grondprijzen voor boeren"},
		[]string{"Netcongestie", "Opbrengst voor de buurt", "Boeren twijfelen", "Volgende stap"}},
	{"de wachtlijsten in de jeugdzorg", "het zorgplan", []string{"kinderen", "hulpverleners", "aanmeldingen"},
		[]string{"dat problemen verergeren", "overbelaste medewerkers", "hogere kosten later"},
		[]string{"Lange wachttijden", "Personeelstekort", "Reactie van de wethouder", "Cijfers"}},
	{"de renovatie van het stadion", "het stadionplan", []string{"zitplaatsen", "supporters", "evenementen"},
		[]string{"oplopende kosten voor de gemeente", "overlast op wedstrijddagen", "een tijdelijk verlies aan inkomsten"},
		[]string{"Financiering", "Supporters blij", "Zorgen in de wijk", "Tijdpad"}},
	{"de droogte in het buitengebied", "het waterplan", []string{"boeren", "kubieke meter water", "hectare"},
		[]string{"verzakkende huizen", "mislukte oogsten", "een tekort aan drinkwater"},
		[]string{"Sproeiverbod", "Grondwater", "Boeren aan het woord", "Maatregelen"}},
}

// frames are the sentences of body paragraphs, their {slots} filled by
// gen.fill: {subject} and {plan} from the article's topic, the others
// drawn anew each time. A capital slot name capitalises the value.
var frames = []string{
	"Volgens {body} is {subject} al jaren een punt van zorg in {place}.",
	"{Person}, {role} in {place}, noemt {plan} \"een noodzakelijke stap\".",
	"De kosten worden geschat op {money}, bijna {pct} procent meer dan vorig jaar werd begroot.",
	"Op {day} {date} praat {body} opnieuw over {plan}.",
	"Het gaat om ongeveer {count} {thing}, verspreid over {small} locaties.",
	"Critici vrezen {worry}.",
	"Uit een peiling onder {count} inwoners blijkt dat {pct} procent zich zorgen maakt over {subject}.",
	"In {year} werd al eens geprobeerd {subject} aan te pakken, maar dat plan strandde.",
	"{Person} zegt dat de gemeente \"veel te lang heeft gewacht\".",
	"De eerste werkzaamheden beginnen naar verwachting in {month} {year}.",
	"Het Rijk draagt {money} bij, de rest komt uit de gemeentelijke begroting.",
	"Omwonenden hebben inmiddels {count} handtekeningen verzameld tegen {plan}.",
	"Ook in {place} en {place} wordt gekeken naar een vergelijkbare aanpak.",
	"Volgens cijfers van het CBS is het aantal {thing} in de regio sinds {year} met {pct} procent gestegen.",
	"\"We kunnen dit niet alleen\", zegt {Person}. \"Daar hebben we de provincie {province} bij nodig.\"",
	"{Body} wil voor {month} een definitief besluit nemen.",
	"Een woordvoerder laat weten dat er nog geen datum is vastgesteld.",
	"De oppositie vindt dat {plan} te weinig rekening houdt met {worry}.",
	"In totaal zijn er {count} bezwaarschriften binnengekomen, een record voor {place}.",
	"Een onafhankelijk bureau becijferde dat de maatregel jaarlijks {money} kan besparen.",
	"Dat bleek {day} tijdens een drukbezochte informatieavond in het gemeentehuis van {place}.",
	"De provincie {province} houdt de ontwikkelingen nauwlettend in de gaten.",
	"{Person} wijst erop dat de wachttijd inmiddels is opgelopen tot {small} maanden.",
	"Het oorspronkelijke budget van {money} blijkt bij lange na niet toereikend.",
	"Volgens het rapport zijn er minstens {count} {thing} extra nodig om de doelen te halen.",
	"Bij de vorige verkiezingen was {subject} een van de belangrijkste thema's.",
	"De kans dat het plan nog wordt aangepast, is volgens ingewijden klein.",
	"Een meerderheid van {body} lijkt achter het voorstel te staan.",
}

var titleFrames = []string{
	"{Place} trekt {money} uit voor {subject}",
	"Onrust in {place} over {plan}",
	"Raad van {place} stemt in met {plan}",
	"{Count} {thing} erbij: {place} zet door",
	"Kritiek op {plan} groeit in {province}",
	"Besluit over {subject} in {place} opnieuw uitgesteld",
}

var captionFrames = []string{
	"{Person} tijdens de informatieavond in {place}. Beeld {agency}",
	"Een overzicht van het gebied waar {subject} moet komen. Foto: {Person}/{agency}",
	"Bewoners bekijken de plannen in het gemeentehuis van {place}. Beeld {agency}",
	"De plek in {place} waar de werkzaamheden beginnen. Foto {agency}",
}

// gen fills frames from one article's random stream.
type gen struct {
	r *rand.Rand
	t topic
}

func (g *gen) pick(xs []string) string { return xs[g.r.IntN(len(xs))] }

func (g *gen) person() string { return g.pick(firstNames) + " " + g.pick(lastNames) }

// money is an amount written the Dutch way: "4,5 miljoen euro", "€ 850.000".
func (g *gen) money() string {
	switch g.r.IntN(3) {
	case 0:
		return fmt.Sprintf("%d,%d miljoen euro", 1+g.r.IntN(40), g.r.IntN(10))
	case 1:
		return "€ " + dutchThousands(10_000*(5+g.r.IntN(95)))
	default:
		return fmt.Sprintf("%d miljoen euro", 2+g.r.IntN(120))
	}
}

// dutchThousands writes n with dots between thousands: 12.500.
func dutchThousands(n int) string { return groupDigits(n, '.') }

// fill returns frame with each {slot} replaced by slot's value.
func (g *gen) fill(frame string) string {
	s := frame
	var b strings.Builder
	for {
		i := strings.IndexByte(s, '{')
		if i < 0 {
			b.WriteString(s)
			break
		}
		j := strings.IndexByte(s[i:], '}') + i
		b.WriteString(s[:i])
		b.WriteString(g.slot(s[i+1 : j]))
		s = s[j+1:]
	}
	return b.String()
}

// slot draws the value of one slot; a capital first letter in name
// capitalises the value.
func (g *gen) slot(name string) string {
	var v string
	switch strings.ToLower(name) {
	case "subject":
		v = g.t.subject
	case "plan":
		v = g.t.plan
	case "place":
		v = g.pick(places)
	case "province":
		v = g.pick(provinces)
	case "person":
		v = g.person()
	case "role":
		v = g.pick(roles)
	case "body":
		v = g.pick(bodies)
	case "agency":
		v = g.pick(agencies)
	case "money":
		v = g.money()
	case "pct":
		v = fmt.Sprint(3 + g.r.IntN(60))
		if g.r.IntN(3) == 0 {
			v += "," + fmt.Sprint(1+g.r.IntN(9))
		}
	case "count":
		v = dutchThousands(120 + g.r.IntN(24_000))
	case "small":
		v = fmt.Sprint(2 + g.r.IntN(14))
	case "year":
		v = fmt.Sprint(2008 + g.r.IntN(17))
	case "month":
		v = g.pick(months)
	case "day":
		v = g.pick(days)
	case "date":
		v = fmt.Sprintf("%d %s", 1+g.r.IntN(28), g.pick(months))
	case "thing":
		v = g.pick(g.t.things)
	case "worry":
		v = g.pick(g.t.worries)
	default:
		panic("nl2en-bench: unknown slot " + name)
	}
	if name[0] >= 'A' && name[0] <= 'Z' {
		v = strings.ToUpper(v[:1]) + v[1:]
	}
	return v
}

// paragraph is two to five sentences.
func (g *gen) paragraph() string {
	n := 2 + g.r.IntN(4)
	s := make([]string, n)
	for i := range s {
		s[i] = g.fill(g.pick(frames))
	}
	return strings.Join(s, " ")
}

// article is one invented news article: a title, sometimes a byline, 3 to
// 20 paragraphs with a heading every few, a quoted paragraph or a short
// list now and then, and one photo caption. Markdown marks headings with
// "##"; plain text leaves them to the splitter's shape rules.
func (g *gen) article(md bool) string {
	var blocks []string
	title := g.fill(g.pick(titleFrames))
	if md {
		title = "# " + title
	}
	blocks = append(blocks, title)
	if g.r.IntN(3) > 0 {
		blocks = append(blocks, "Door "+g.person())
	}
	paras := 3 + g.r.IntN(18)
	caption := 1 + g.r.IntN(paras-1)
	headings := append([]string(nil), g.t.headings...)
	g.r.Shuffle(len(headings), func(i, j int) { headings[i], headings[j] = headings[j], headings[i] })
	for i := range paras {
		if i > 0 && i%4 == 0 && len(headings) > 0 {
			h := headings[0]
			headings = headings[1:]
			if md {
				h = "## " + h
			}
			blocks = append(blocks, h)
		}
		if i == caption {
			blocks = append(blocks, g.fill(g.pick(captionFrames)))
		}
		switch {
		case i > 1 && g.r.IntN(9) == 0:
			blocks = append(blocks, "‘"+g.fill(g.pick(frames[:len(frames)/2]))+"’")
		case md && i > 1 && g.r.IntN(12) == 0:
			var items []string
			for range 3 {
				items = append(items, "- "+g.fill(g.pick(frames)))
			}
			blocks = append(blocks, strings.Join(items, "\n"))
		default:
			blocks = append(blocks, g.paragraph())
		}
	}
	return strings.Join(blocks, "\n\n") + "\n"
}

// writeArticles writes n articles into dir, three in four as Markdown and
// the rest as plain text, and returns their paths.
func writeArticles(dir string, n int, seed uint64) ([]string, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	paths := make([]string, n)
	for i := range n {
		// Each article has its own stream, so that article i is the same
		// whatever -articles is.
		r := rand.New(rand.NewPCG(seed, uint64(i)))
		g := &gen{r: r, t: topics[r.IntN(len(topics))]}
		md := r.IntN(4) > 0
		ext := ".txt"
		if md {
			ext = ".md"
		}
		p := filepath.Join(dir, fmt.Sprintf("artikel-%04d%s", i+1, ext))
		if err := os.WriteFile(p, []byte(g.article(md)), 0o644); err != nil {
			return nil, err
		}
		paths[i] = p
	}
	return paths, nil
}
