package check

import "testing"

func TestCountQuotations(t *testing.T) {
	tests := []struct {
		text string
		want int
	}{
		{"‘Een strijd’, aldus de denktank", 1},
		{"‘Dit zijn omstandigheden waarin het concept ‘leven’ niet meer mogelijk is’, twitterde", 2},
		{"„We gaan het vonnis bestuderen”, zei hij. „Maar ik kan nu al zeggen …”", 2},
		{"“The fall in inflation is good news.”", 1},
		{"'A relentless battle', is how the think tank describes it", 1},
		{"\"We will study the verdict,\" he said. \"But we may appeal.\"", 2},
		{"Russia's army, the runners' club, zo'n auto, stroomschema's", 0},
		{"'s nachts en 't is koud, 's-Gravenhage", 0},
		{"90+3' Van Leeuwen en 64' El Idrissi", 0},
		{"a lone ‘ mark", 0},
		{"the concept of 'life' is gone", 1},
	}
	for _, tt := range tests {
		if got := countQuotations(tt.text); got != tt.want {
			t.Errorf("countQuotations(%q) = %d, want %d", tt.text, got, tt.want)
		}
	}
}

func TestCountTopLevelQuotations(t *testing.T) {
	tests := []struct {
		text string
		want int
	}{
		{"‘Een strijd’, aldus de denktank", 1},
		{"‘Dit zijn omstandigheden waarin het concept ‘leven’ niet meer mogelijk is’, twitterde", 1},
		{"„We gaan het vonnis bestuderen”, zei hij. „Maar ik kan nu al zeggen …”", 2},
		{"‘De offensieven’, concludeert het ISW. ‘Dit alles maakt het mogelijk.’", 2},
		{"\"A\" en \"B\"", 2},
		{"auto’s en zo’n stroomschema's", 0},
	}
	for _, tt := range tests {
		if got := countTopLevelQuotations(tt.text); got != tt.want {
			t.Errorf("countTopLevelQuotations(%q) = %d, want %d", tt.text, got, tt.want)
		}
	}
}

func TestCheckQuotes(t *testing.T) {
	tests := []struct {
		name        string
		source      string
		translation string
		wantProblem bool
	}{
		{"kept single", "‘We stoppen niet’, zei hij.", "'We will not stop', he said.", false},
		{"kept curly", "‘We stoppen niet’, zei hij.", "‘We will not stop,’ he said.", false},
		{"kept double", "„We stoppen niet”, zei hij.", "\"We will not stop,\" he said.", false},
		{"dropped", "‘We stoppen niet’, zei hij.", "He said they would not stop.", true},
		{"nested flattened", "‘Het concept ‘leven’ bestaat niet meer’, twitterde het ministerie.",
			"'The concept of life no longer exists', the ministry tweeted.", false},
		{"three of three", "Hij was ‘zwaar teleurgesteld’. „We gaan studeren”, zei hij. „Maar we gaan in beroep.”",
			"He was 'deeply disappointed'. \"We will study it,\" he said. \"But we will appeal.\"", false},
		{"one of three", "Hij was ‘zwaar teleurgesteld’. „We gaan studeren”, zei hij. „Maar we gaan in beroep.”",
			"He was 'deeply disappointed'. He said they would study it but appeal.", true},
		{"two of two", "‘Ja’, zei hij. ‘Nee.’", "'Yes', he said. 'No.'", false},
		{"one of two", "‘Ja’, zei hij. ‘Nee.’", "'Yes', he said. No.", true},
		{"no quote in source", "Hij zei dat ze doorgaan.", "He said they would carry on.", false},
		{"apostrophes are not quotes", "zo'n 30 kilometer", "some 30 kilometres", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := false
			for _, p := range checkPair(tt.source, tt.translation, Glossary{}) {
				if p.Kind == KindQuote {
					got = true
				}
			}
			if got != tt.wantProblem {
				t.Errorf("quote problem = %v, want %v", got, tt.wantProblem)
			}
		})
	}
}
