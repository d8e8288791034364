package feed_test

import (
	"fmt"

	"github.com/nl2en/nl2en/pipeline/feed"
)

func Example() {
	rss := `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>Kustnieuws</title><language>nl-BE</language>
<item>
  <title>Zwembad Middelburg</title>
  <link> /artikel/zwembad?utm_source=rss</link>
  <guid isPermaLink="false">4711 at https://kust.example.nl</guid>
  <pubDate>Fri, 28 Feb 2025 22:40:00 +0100</pubDate>
  <description>&lt;p&gt;Middelburg krijgt een nieuw zwembad. Lees verder&lt;/p&gt;</description>
</item></channel></rss>`
	f, err := feed.Parse([]byte(rss), "https://kust.example.nl/feeds/nieuws.rss")
	if err != nil {
		fmt.Println(err)
		return
	}
	it := f.Items[0]
	fmt.Println(it.ID)
	fmt.Println(it.Link)
	fmt.Println(it.Text)
	fmt.Println(it.Published.UTC(), it.Language)
	fmt.Println("whole article:", feed.IsWhole(it.Text))
	fmt.Println(feed.Choose(it.Text, feed.Page{Text: "Om deze inhoud te bekijken moet je cookies accepteren."}))
	// Output:
	// 4711 at https://kust.example.nl
	// https://kust.example.nl/artikel/zwembad
	// Middelburg krijgt een nieuw zwembad. Lees verder
	// 2025-02-28 21:40:00 +0000 UTC nl-BE
	// whole article: false
	// the page is a cookie or subscription wall
}

func ExampleState_Plan() {
	s := feed.NewState("https://kust.example.nl/feeds/nieuws.rss")
	items := []feed.Item{{ID: "a", Title: "A"}, {ID: "b", Title: "B"}, {ID: "c", Title: "C"}}
	p := s.Plan(items, 2)
	fmt.Println(len(p.Take), "to translate,", len(p.Archive), "archived on the first run")
	for _, it := range p.Take {
		s.Record(it, s.Output(it, nil), false, false, s.Fetched)
	}
	for _, it := range p.Archive {
		s.Record(it, "", false, true, s.Fetched)
	}
	p = s.Plan(append(items, feed.Item{ID: "d", Title: "D"}), 2)
	fmt.Println(len(p.Take), "new,", p.Unchanged, "unchanged")
	// Output:
	// 2 to translate, 1 archived on the first run
	// 1 new, 3 unchanged
}
