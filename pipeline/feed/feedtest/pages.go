package feedtest

import (
	"html"
	"strings"
)

// newsPage puts an article into a news site's template: a header with
// navigation, the article, related links, a cookie notice and a footer.
// Only the article is the article.
func newsPage(title, byline string, paragraphs ...string) string {
	var b strings.Builder
	b.WriteString(`<!DOCTYPE html>
<html lang="nl">
<head><meta charset="utf-8"><title>` + html.EscapeString(title) + ` | Het Kustnieuws</title>
<link rel="alternate" type="application/rss+xml" title="Het Kustnieuws" href="/feeds/nieuws.rss">
<script>window.dataLayer = [];</script></head>
<body>
<header class="site-header">
  <a class="logo" href="/">Het Kustnieuws</a>
  <nav class="main-nav"><ul>
    <li><a href="/binnenland">Binnenland</a></li><li><a href="/buitenland">Buitenland</a></li>
    <li><a href="/sport">Sport</a></li><li><a href="/weer">Weer</a></li><li><a href="/abonneren">Abonneren</a></li>
  </ul></nav>
</header>
<main>
<article class="article">
  <h1>` + html.EscapeString(title) + `</h1>
  <p class="byline">` + html.EscapeString(byline) + `</p>
`)
	for _, p := range paragraphs {
		b.WriteString("  <p>" + html.EscapeString(p) + "</p>\n")
	}
	b.WriteString(`</article>
<aside class="related"><h2>Meer nieuws</h2><ul>
  <li><a href="/artikel/a">Kabinet presenteert plannen voor de Zeeuwse kust</a></li>
  <li><a href="/artikel/b">Bekijk de weersverwachting voor het weekend</a></li>
</ul></aside>
</main>
<div class="cookie-notice">Wij gebruiken cookies om de site te verbeteren. <button>Akkoord</button></div>
<footer class="site-footer"><p>© 2025 Het Kustnieuws. Alle rechten voorbehouden.</p>
<nav><a href="/colofon">Colofon</a> <a href="/privacy">Privacy</a> <a href="/contact">Contact</a></nav></footer>
</body>
</html>
`)
	return b.String()
}

// Veerdienst is the full text of the ferry article, as the feed's
// content:encoded and its page both hold it.
var Veerdienst = []string{
	"De veerdienst tussen Vlissingen en Breskens vaart zaterdag de hele dag niet. Het KNMI heeft code oranje afgegeven voor de hele kust, met windstoten tot honderd kilometer per uur.",
	"De rederij liet vrijdagavond weten dat de eerste afvaart van zeven uur al was geschrapt. Later op de avond volgde het bericht dat ook de rest van de dag geen boot zou gaan. \"Veiligheid gaat voor alles\", zei een woordvoerder. \"We kunnen passagiers en bemanning niet laten varen bij deze golfhoogte.\"",
	"Reizigers die toch naar Zeeuws-Vlaanderen willen, moeten omrijden via de Westerscheldetunnel. Dat kost al snel een half uur extra. De provincie heeft met een busbedrijf afgesproken dat er elk uur een pendelbus rijdt tussen de twee stations. Die bus is gratis voor wie een geldig kaartje voor de boot heeft.",
	"Ook op andere plekken langs de kust is de storm te merken. In Domburg waaide een deel van een strandpaviljoen weg, en in Westkapelle moest de brandweer uitrukken voor een losgeslagen dakgoot. Gewonden vielen er niet. De gemeente Veere vraagt inwoners om tuinmeubels en trampolines vast te zetten of binnen te halen.",
	"Het KNMI verwacht dat de wind zondagochtend afneemt. De rederij hoopt dan weer volgens de normale dienstregeling te kunnen varen, maar zegt dat pas zaterdagavond zeker te weten. Wie een reservering heeft, krijgt een bericht zodra er meer bekend is. Wie niet wil wachten, kan het geld voor een kaartje terugvragen via de website van de rederij.",
}

// Zwembad is the full text of the swimming pool article, whose feed item
// is a teaser.
var Zwembad = []string{
	"Na jaren van discussie is de knoop doorgehakt: Middelburg krijgt een nieuw zwembad aan de rand van de stad. De gemeenteraad stemde donderdagavond met ruime meerderheid in met het plan van het college.",
	"Het huidige zwembad is meer dan vijftig jaar oud en kampt al jaren met lekkages. Vorig jaar moest het bad twee keer een week dicht omdat de verwarming uitviel. Zwemverenigingen klaagden dat ze hun wedstrijden steeds vaker in Vlissingen of Goes moesten houden.",
	"Het nieuwe bad krijgt een wedstrijdbassin van vijfentwintig meter met acht banen, een instructiebad en een peuterbad. Op het dak komen zonnepanelen, die volgens de gemeente ongeveer een derde van de benodigde energie leveren. De bouw kost naar schatting achtendertig miljoen euro.",
	"De oppositie vindt dat bedrag te hoog. \"We bouwen een prachtig bad, maar de rekening komt bij de inwoners te liggen\", zei een raadslid van een lokale partij. Hij wilde eerst onderzoeken of het oude bad nog te redden is. Die motie haalde het niet.",
	"De bouw moet volgend jaar beginnen. Als alles volgens plan verloopt, kan er in de zomer van 2028 voor het eerst gezwommen worden. Tot die tijd blijft het oude bad open.",
}

// Paywall is the page of an article for subscribers only: the lead, then
// the wall.
var Paywall = newsPage("Strandpaviljoens mogen langer open blijven", "Door Pieter Jansen",
	"Strandpaviljoens in Zeeland mogen vanaf dit voorjaar tot middernacht open blijven, heeft de provincie besloten.",
	"Dit is een Plus-artikel. Word abonnee en lees onbeperkt alle artikelen op de site en in de app.",
	"Al abonnee? Log in om verder te lezen. Eerste maand gratis, daarna maandelijks opzegbaar.")

// CookieWall is the page a site shows instead of an article until
// cookies are accepted.
const CookieWall = `<!DOCTYPE html>
<html lang="nl"><head><meta charset="utf-8"><title>Privacy-instellingen | Het Kustnieuws</title></head>
<body>
<div class="privacy-gate"><main>
<h1>Het Kustnieuws vraagt je toestemming</h1>
<p>Wij en onze partners gebruiken cookies en vergelijkbare technieken om content te personaliseren, advertenties te tonen en ons verkeer te analyseren.</p>
<p>Om deze inhoud te bekijken moet je cookies accepteren. Je kunt je keuze altijd aanpassen via de cookie-instellingen onderaan elke pagina.</p>
<p><button>Akkoord en doorgaan</button> <a href="/instellingen">Instellingen beheren</a></p>
</main></div>
</body></html>
`

// TeaserPage is a page that holds less of its article than the feed
// item does: a line and a video player.
var TeaserPage = newsPage("Oostende krijgt nieuwe zeedijk", "",
	"Bekijk de video over de nieuwe zeedijk.")

// Slim is the page of the parking article.
var Slim = newsPage("Knokke-Heist test slimme parkeerplaatsen", "Door An Claes",
	"In Knokke-Heist meten sensoren voortaan of een parkeerplaats vrij is. De gemeente test het systeem een jaar lang in de straten rond het Albertplein.",
	"Automobilisten zien in een app waar nog plaats is. Volgens de gemeente scheelt dat zoekverkeer: tot een vijfde van de auto's in het centrum rijdt rond op zoek naar een plek.",
	"Handelaars zijn voorzichtig positief. Ze hopen dat klanten sneller een plek vinden, maar vrezen dat de app vooral toeristen naar de duurste zones stuurt.")

// CookieArticle is an article about cookie walls: it uses the words, but
// it is no wall.
var CookieArticle = newsPage("Toezichthouder pakt misleidende cookiebanners aan", "Door Sanne Vos",
	"De Autoriteit Persoonsgegevens gaat strenger controleren op cookiebanners die bezoekers misleiden. Veel websites maken de knop om cookies te weigeren kleiner of grijzer dan de knop om ze te accepteren, of verstoppen hem achter een extra klik.",
	"Volgens de toezichthouder mag dat niet. Een bezoeker moet even makkelijk kunnen weigeren als akkoord gaan met cookies. Websites die zich daar niet aan houden, kunnen een boete krijgen die kan oplopen tot enkele miljoenen euro's.",
	"Uit een steekproef onder honderd populaire Nederlandse websites bleek dat bijna de helft de regels overtrad. Vooral nieuwssites en webwinkels scoorden slecht. Sommige sites plaatsten al tracking-cookies voordat de bezoeker iets had gekozen.",
	"Branchevereniging voor online uitgevers zegt het eens te zijn met het doel, maar vindt dat de regels onduidelijk zijn. \"Wij willen best een eerlijke keuze bieden, maar dan moet de toezichthouder wel zeggen hoe die eruit moet zien\", aldus een woordvoerder.",
	"De toezichthouder begint de controles in april. Eerst krijgen websites een waarschuwing, daarna volgt een last onder dwangsom. Bezoekers die een misleidende banner tegenkomen, kunnen dat melden via een formulier op de website van de toezichthouder.",
)
