#!/usr/bin/env python3
"""Check the evaluation set's reference files.

Usage: python3 validate.py [FILE_OR_PREFIX ...]

Without arguments every *.ref.json in this folder is checked. An argument may be a
ref file, an article file or a prefix such as "12" or "12-"; then only matching
ref files are checked. Exit status 0 when everything passes, 1 otherwise.

Checks, per ref file:
- valid UTF-8 JSON with "article", "topic", "blocks", "summary";
- the article file exists next to it and is named like the ref file;
- every block has a known kind, a non-empty "nl" and "en", and "sentences" whose
  "nl" values joined with single spaces give the block's "nl" and whose "en"
  values joined with single spaces give the block's "en";
- the blocks cover the article in document order: for .txt/.md every non-blank
  line (after stripping line-start markers such as "# ", "## ", "- ", "> ",
  "• ") is exactly the blocks on it joined with single spaces (an inline dateline
  and its paragraph may share a line; a Markdown image line is a media block whose
  "nl" is the alt text); for .html every block's "nl" occurs, in order, in the
  visible text of <article> with whitespace collapsed;
- summary: title at most 15 words; summary 2 or 3 sentences and at most 60 words;
  3 to 5 key points;
- an optional "us" version has the same blocks (kind, nl, sentence nl) and passes
  the same sentence and summary checks.
"""
import html.parser
import json
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
KINDS = {"title", "heading", "paragraph", "caption", "quote", "list_item", "byline",
         "dateline", "embed", "furniture", "media"}
MD_MARKER = re.compile(r"^(?:#{1,6} |> ?|[-*+•] )")
MD_IMAGE = re.compile(r"^!\[(.*)\]\(([^)\s]+)(?: \"[^\"]*\")?\)$")


def words(s):
    return len(s.split())


def sentences_of(s):
    parts = re.split(r"(?<=[.!?])[\"”’']?\s+(?=[\"“‘'(]?[A-Z0-9€£$])", s.strip())
    return [p for p in parts if p.strip()]


class ArticleText(html.parser.HTMLParser):
    SKIP = {"script", "style", "noscript", "template"}
    INLINE = {"a", "em", "strong", "i", "b", "abbr", "code", "span", "time", "small", "sup", "sub",
              "mark", "q", "cite", "u", "s"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.depth_article = 0
        self.skip = 0
        self.parts = []

    def handle_starttag(self, tag, attrs):
        if tag == "article":
            self.depth_article += 1
        if tag in self.SKIP:
            self.skip += 1
        if self.depth_article and tag == "img":
            alt = dict(attrs).get("alt")
            if alt:
                self.parts.append(" " + alt + " ")
        if self.depth_article and tag in {"p", "h1", "h2", "h3", "h4", "li", "figcaption",
                                          "blockquote", "div", "figure", "br", "header", "footer",
                                          "section", "ul", "ol", "aside", "nav"}:
            self.parts.append(" ")

    def handle_endtag(self, tag):
        if tag in self.SKIP and self.skip:
            self.skip -= 1
        if self.depth_article and tag not in self.INLINE:
            self.parts.append(" ")
        if tag == "article" and self.depth_article:
            self.depth_article -= 1

    def handle_data(self, data):
        if self.depth_article and not self.skip:
            self.parts.append(data)

    def text(self):
        return re.sub(r"\s+", " ", "".join(self.parts)).strip()


def check_blocks(blocks, where, errs, ref_blocks=None):
    if not isinstance(blocks, list) or not blocks:
        errs.append(f"{where}: 'blocks' must be a non-empty list")
        return
    if ref_blocks is not None and len(ref_blocks) != len(blocks):
        errs.append(f"{where}: {len(blocks)} blocks, but the main version has {len(ref_blocks)}")
    for i, b in enumerate(blocks):
        w = f"{where} block {i}"
        if not isinstance(b, dict):
            errs.append(f"{w}: not an object")
            continue
        kind, nl, en, sents = b.get("kind"), b.get("nl"), b.get("en"), b.get("sentences")
        if kind not in KINDS:
            errs.append(f"{w}: unknown kind {kind!r}")
        for name, val in (("nl", nl), ("en", en)):
            if not isinstance(val, str) or not val.strip():
                errs.append(f"{w}: '{name}' missing or empty")
            elif val != val.strip() or "\n" in val or "  " in val:
                errs.append(f"{w}: '{name}' has stray whitespace or a line break: {val[:60]!r}")
        if not isinstance(sents, list) or not sents:
            errs.append(f"{w}: 'sentences' must be a non-empty list")
            continue
        ok = True
        for j, s in enumerate(sents):
            if not isinstance(s, dict) or not isinstance(s.get("nl"), str) or not isinstance(s.get("en"), str):
                errs.append(f"{w} sentence {j}: needs string 'nl' and 'en'")
                ok = False
            elif not s["nl"].strip() or not s["en"].strip():
                errs.append(f"{w} sentence {j}: empty 'nl' or 'en'")
                ok = False
        if not ok:
            continue
        if isinstance(nl, str) and " ".join(s["nl"] for s in sents) != nl:
            errs.append(f"{w}: sentences' nl do not join to the block nl: {nl[:60]!r}")
        if isinstance(en, str) and " ".join(s["en"] for s in sents) != en:
            errs.append(f"{w}: sentences' en do not join to the block en: {en[:60]!r}")
        if ref_blocks is not None and i < len(ref_blocks):
            r = ref_blocks[i]
            if r.get("kind") != kind or r.get("nl") != nl:
                errs.append(f"{w}: kind/nl differ from the main version")
            elif [s.get("nl") for s in r.get("sentences", [])] != [s["nl"] for s in sents]:
                errs.append(f"{w}: sentence nl differ from the main version")


def check_summary(summ, where, errs):
    if not isinstance(summ, dict):
        errs.append(f"{where}: 'summary' missing")
        return
    t, s, kp = summ.get("title"), summ.get("summary"), summ.get("key_points")
    if not isinstance(t, str) or not t.strip():
        errs.append(f"{where}: summary title missing")
    elif words(t) > 15:
        errs.append(f"{where}: summary title has {words(t)} words (max 15)")
    if not isinstance(s, str) or not s.strip():
        errs.append(f"{where}: summary text missing")
    else:
        n = len(sentences_of(s))
        if n not in (2, 3):
            errs.append(f"{where}: summary has {n} sentences (2 or 3 wanted)")
        if words(s) > 60:
            errs.append(f"{where}: summary has {words(s)} words (max 60)")
    if not isinstance(kp, list) or not 3 <= len(kp) <= 5 or not all(isinstance(k, str) and k.strip() for k in kp):
        errs.append(f"{where}: key_points must be 3 to 5 non-empty strings")


def check_coverage_lines(text, is_md, blocks, where, errs):
    lines = [l.rstrip() for l in text.splitlines()]
    bi = 0
    for ln, raw in enumerate(lines, 1):
        line = raw.strip()
        if not line or (is_md and re.fullmatch(r"(?:-{3,}|\*{3,}|_{3,})", line)):
            continue
        m = MD_IMAGE.match(line) if is_md else None
        if m:
            if bi < len(blocks) and blocks[bi].get("kind") == "media" and blocks[bi].get("nl") == m.group(1):
                bi += 1
                continue
            errs.append(f"{where}: line {ln}: image line not matched by a media block with its alt text")
            return
        stripped = MD_MARKER.sub("", line, count=1) if is_md else re.sub(r"^[-•*] ", "", line, count=1)
        candidates = {stripped, line}
        rest = None
        for cand in candidates:
            pos, k = 0, bi
            while k < len(blocks) and isinstance(blocks[k].get("nl"), str):
                nl = blocks[k]["nl"]
                if cand.startswith(nl, pos) and (pos + len(nl) == len(cand) or cand[pos + len(nl)] == " "):
                    pos += len(nl)
                    k += 1
                    if pos == len(cand):
                        break
                    pos += 1
                else:
                    break
            if pos == len(cand) and k > bi:
                rest = k
                break
        if rest is None:
            got = blocks[bi]["nl"][:60] if bi < len(blocks) else "(no more blocks)"
            errs.append(f"{where}: line {ln} is not covered by the next blocks in order:\n"
                        f"    line:  {stripped[:80]!r}\n    block: {got!r}")
            return
        bi = rest
    if bi != len(blocks):
        errs.append(f"{where}: {len(blocks) - bi} block(s) left over after the end of the article, "
                    f"first: {blocks[bi].get('nl', '')[:60]!r}")


def check_coverage_html(text, blocks, where, errs):
    p = ArticleText()
    p.feed(text)
    visible = p.text()
    if not visible:
        errs.append(f"{where}: no <article> text found")
        return
    pos = 0
    for i, b in enumerate(blocks):
        nl = b.get("nl")
        if not isinstance(nl, str):
            continue
        k = visible.find(nl, pos)
        if k < 0:
            where_any = "occurs earlier (order wrong)" if nl in visible else "not found"
            errs.append(f"{where}: block {i} {where_any} in the <article> text: {nl[:60]!r}")
            continue
        pos = k + len(nl)


def check_file(path):
    errs = []
    name = os.path.basename(path)
    try:
        with open(path, encoding="utf-8") as f:
            ref = json.load(f)
    except (UnicodeDecodeError, json.JSONDecodeError) as e:
        return [f"{name}: not valid UTF-8 JSON: {e}"]
    if not isinstance(ref, dict):
        return [f"{name}: top level must be an object"]
    art = ref.get("article")
    stem = name[: -len(".ref.json")]
    if not isinstance(art, str) or os.path.splitext(art)[0] != stem:
        errs.append(f"{name}: 'article' should be {stem}.txt/.md/.html, is {art!r}")
    if not isinstance(ref.get("topic"), str) or not ref["topic"].strip():
        errs.append(f"{name}: 'topic' missing")
    blocks = ref.get("blocks")
    check_blocks(blocks, name, errs)
    check_summary(ref.get("summary"), name, errs)
    if "us" in ref:
        us = ref["us"]
        if not isinstance(us, dict):
            errs.append(f"{name}: 'us' must be an object")
        else:
            check_blocks(us.get("blocks"), name + " [us]", errs, ref_blocks=blocks if isinstance(blocks, list) else [])
            check_summary(us.get("summary"), name + " [us]", errs)
    if isinstance(art, str):
        apath = os.path.join(os.path.dirname(path), art)
        if not os.path.isfile(apath):
            errs.append(f"{name}: article file {art} does not exist")
        elif isinstance(blocks, list) and all(isinstance(b, dict) for b in blocks):
            with open(apath, encoding="utf-8") as f:
                text = f.read()
            ext = os.path.splitext(art)[1].lower()
            if ext in (".txt", ".md"):
                check_coverage_lines(text, ext == ".md", blocks, name, errs)
            elif ext in (".html", ".htm"):
                check_coverage_html(text, blocks, name, errs)
            else:
                errs.append(f"{name}: unknown article format {ext}")
    return errs


def main(argv):
    refs = sorted(f for f in os.listdir(HERE) if f.endswith(".ref.json"))
    if argv:
        keep = []
        for a in argv:
            b = os.path.basename(a)
            for ext in (".ref.json", ".txt", ".md", ".html"):
                if b.endswith(ext):
                    b = b[: -len(ext)]
                    break
            keep += [r for r in refs if r.startswith(b)]
        refs = sorted(set(keep))
    if not refs:
        print("no ref files to check")
        return 1
    failed = 0
    for r in refs:
        errs = check_file(os.path.join(HERE, r))
        if errs:
            failed += 1
            print(f"FAIL {r}")
            for e in errs:
                print("  - " + e)
        else:
            print(f"ok   {r}")
    print(f"{len(refs) - failed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
