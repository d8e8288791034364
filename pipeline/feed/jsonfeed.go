package feed

import (
	"encoding/json"
	"fmt"
	"net/url"
	"strings"
)

type jsonFeed struct {
	Version     string     `json:"version"`
	Title       string     `json:"title"`
	HomePageURL string     `json:"home_page_url"`
	Language    string     `json:"language"`
	Items       []jsonItem `json:"items"`
}

type jsonItem struct {
	ID            json.RawMessage `json:"id"`
	URL           string          `json:"url"`
	ExternalURL   string          `json:"external_url"`
	Title         string          `json:"title"`
	ContentHTML   string          `json:"content_html"`
	ContentText   string          `json:"content_text"`
	Summary       string          `json:"summary"`
	Image         string          `json:"image"`
	BannerImage   string          `json:"banner_image"`
	DatePublished string          `json:"date_published"`
	DateModified  string          `json:"date_modified"`
	Author        *jsonAuthor     `json:"author"`
	Authors       []jsonAuthor    `json:"authors"`
	Tags          []string        `json:"tags"`
	Language      string          `json:"language"`
	Attachments   []struct {
		URL      string `json:"url"`
		MIMEType string `json:"mime_type"`
		Size     int64  `json:"size_in_bytes"`
	} `json:"attachments"`
}

type jsonAuthor struct {
	Name string `json:"name"`
}

// parseJSON reads JSON Feed 1.0 and 1.1.
func parseJSON(data []byte, base *url.URL) (*Feed, error) {
	var jf jsonFeed
	if err := json.Unmarshal(data, &jf); err != nil {
		return nil, fmt.Errorf("%w: JSON that is not a JSON Feed (%v)", ErrNotFeed, err)
	}
	if !strings.HasPrefix(jf.Version, "https://jsonfeed.org/version/") && !strings.HasPrefix(jf.Version, "http://jsonfeed.org/version/") {
		return nil, fmt.Errorf("%w: JSON without a JSON Feed version", ErrNotFeed)
	}
	f := &Feed{Format: JSONFeed, Title: strings.TrimSpace(jf.Title), Link: cleanLink(base, jf.HomePageURL), Language: jf.Language}
	for _, ji := range jf.Items {
		it := Item{
			GUID:     jsonID(ji.ID),
			Link:     cleanLink(base, firstOf(ji.URL, ji.ExternalURL)),
			Title:    strings.Join(strings.Fields(ji.Title), " "),
			Language: ji.Language,
		}
		var bodies []body
		if ji.ContentHTML != "" {
			bodies = append(bodies, readHTML(ji.ContentHTML, base))
		}
		if ji.ContentText != "" {
			bodies = append(bodies, readText(ji.ContentText))
		}
		if ji.Summary != "" {
			bodies = append(bodies, readText(ji.Summary))
		}
		pickBody(&it, bodies)
		it.Published = parseDate(ji.DatePublished)
		it.Updated = parseDate(ji.DateModified)
		if ji.Author != nil && ji.Author.Name != "" {
			it.Authors = append(it.Authors, ji.Author.Name)
		}
		for _, a := range ji.Authors {
			if a.Name != "" {
				it.Authors = append(it.Authors, a.Name)
			}
		}
		it.Categories = ji.Tags
		for _, img := range []string{ji.Image, ji.BannerImage} {
			if img != "" {
				it.Media = append(it.Media, Media{URL: absolute(base, img), Medium: "image"})
			}
		}
		for _, a := range ji.Attachments {
			if a.URL != "" {
				it.Media = append(it.Media, Media{URL: absolute(base, a.URL), Type: a.MIMEType, Medium: medium("", a.MIMEType), Length: max(a.Size, 0)})
			}
		}
		f.Items = append(f.Items, it)
	}
	return f, nil
}

// jsonID reads an item's id: a string as the spec says, or a number as
// some feeds write it.
func jsonID(raw json.RawMessage) string {
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return strings.TrimSpace(s)
	}
	var n json.Number
	if json.Unmarshal(raw, &n) == nil {
		return n.String()
	}
	return ""
}
