package dutch

import "strings"

// particles stand in lower case inside a name, or before one: "Mees van
// Leeuwen", "Jan de Vries", "Carlos da Silva", "Mohammed bin Salman".
var particles = setOf(`van de der den ter ten te 't ’t von zu da di del della du la le
	dos das bin ibn al el`)

// IsParticle reports whether a lower-case word is a particle of names.
func IsParticle(w string) bool { return particles[w] }

// connectors join the words of a name without being names themselves:
// the particles, and the English words of institutions' names ("Institute
// for the Study of War", "Bank of England").
var connectors = setOf(`for of the and &`)

// IsConnector reports whether a lower-case word may stand between the
// capitalised words of a name: a particle, or "of", "for", "the", "and",
// "&".
func IsConnector(w string) bool { return particles[w] || connectors[w] }

// capitalParticles are particles written with a capital, as a surname
// starts without a given name before it ("Van Leeuwen", "De Vries"): part
// of the name, but spelt differently by position, so never a word of it
// to look for.
var capitalParticles = setOf(`Van De Der Den Ter Ten Te Von Da Di Del Du La Le El Al Bin Het`)

// IsCapitalParticle reports whether w is a particle written with a
// capital: "Van", "De".
func IsCapitalParticle(w string) bool { return capitalParticles[w] }

// titles stand before a name and are not part of it: offices, ranks and
// forms of address, Dutch and English, in lower case. "Kamerlid Anna de
// Wit" is "MP Anna de Wit"; "minister Van Weel" is "Minister Van Weel".
var titles = setOf(`
	minister minister-president premier vicepremier staatssecretaris bewindspersoon
	burgemeester wethouder gedeputeerde commissaris gouverneur ombudsman kinderombudsman
	kamerlid tweede-kamerlid eerste-kamerlid europarlementariër europarlementslid senator
	fractievoorzitter fractieleider partijleider partijvoorzitter lijsttrekker voorzitter
	president vicepresident koning koningin prins prinses kroonprins kroonprinses keizer
	paus kardinaal bisschop aartsbisschop dominee pastoor imam rabbijn
	generaal luitenant-generaal generaal-majoor kolonel luitenant-kolonel majoor kapitein
	luitenant sergeant korporaal soldaat commandant admiraal
	hoofdcommissaris commissaris officier rechter advocaat advocaat-generaal procureur-generaal
	professor hoogleraar dokter arts directeur topman topvrouw bestuurder ceo
	bondscoach trainer coach aanvoerder keeper doelman spits verdediger middenvelder
	woordvoerder woordvoerster zanger zangeres schrijver schrijfster kunstenaar
	dr mr prof ir ing drs dhr mevr mw mevrouw meneer heer sir lord lady
	mp mep mayor alderman councillor governor chancellor secretary spokesman
	spokeswoman spokesperson chairman chairwoman chair leader judge justice
	king queen pope cardinal bishop general colonel major captain commander
	doctor mrs ms miss deputy vice prime
`)

// IsTitle reports whether a word, in any case, is a title that stands
// before a name and is not part of it: "minister", "Kamerlid", "MP",
// "mr", "Mayor".
func IsTitle(w string) bool { return titles[strings.ToLower(strings.TrimSuffix(w, "."))] }

// portfolios are the capitalised words that the portfolios of Dutch and
// Belgian ministers and state secretaries are made of ("Buitenlandse
// Zaken", "Klimaat en Groene Groei", "Volksgezondheid, Welzijn en
// Sport"), which English translates: "minister X van Financiën" is "X,
// the Minister of Finance".
var portfolios = setOf(`
	Algemene Financiën Defensie Justitie Veiligheid Buitenlandse Binnenlandse Zaken
	Koninkrijksrelaties Economische Klimaat Energie Groene Groei Onderwijs Cultuur
	Wetenschap Volksgezondheid Welzijn Sport Sociale Werkgelegenheid Infrastructuur
	Waterstaat Landbouw Natuur Voedselkwaliteit Visserij Voedselzekerheid Asiel Migratie
	Volkshuisvesting Ruimtelijke Ordening Handel Ontwikkelingshulp Ontwikkelingssamenwerking
	Medische Zorg Langdurige Jeugd Preventie Primair Voortgezet Media Digitalisering
	Fiscaliteit Toeslagen Douane Herstel Mijnbouw Armoedebeleid Participatie Pensioenen
	Wonen Milieu Leefmilieu Mobiliteit Werk Economie Begroting Ambtenarenzaken Gelijke
	Kansen Emancipatie Integratie Inburgering Vreemdelingenzaken Binnenland Buitenland
	Toerisme Innovatie Noordzee Telecommunicatie Post Consumentenzaken Middenstand
	Zelfstandigen Overheidsbedrijven Gezondheidszorg Duurzame Ontwikkeling
	Wetenschapsbeleid Administratieve Vereenvoudiging Privacy Armoedebestrijding Personen
	Handicap Ouderen Jeugdzorg Gezin Binnenlands Bestuur Omgeving Dierenwelzijn Erfgoed
	Onroerend Openbare Ambtenarenzaken Nationale Europese Koninkrijk Landsverdediging
	Verkeer Openbaar Vervoer Luchtvaart Scheepvaart Ruimte Basisonderwijs Hoger
	Beroepsonderwijs Volwasseneneducatie Arbeidsmarkt Rechtsbescherming Staatsbestuur
	Fraudebestrijding Koopkracht Herstel Groningen Gaswinning Mijnbouw Klimaatbeleid
`)

// IsPortfolio reports whether a capitalised word is part of a minister's
// portfolio: "Financiën", "Zaken", "Klimaat".
func IsPortfolio(w string) bool { return portfolios[w] }
