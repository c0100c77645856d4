"""Split a document into language segments (paragraph blocks) and those into sentences."""

from __future__ import annotations

from dataclasses import dataclass

import regex

from .language import detect_language, script_language
from .model import ANALYZED_LANGUAGES, Sentence

MAX_SENTENCE = 1000  # characters; longer runs are cut so that patterns stay local and fast

# A sentence ends at . ! ? … before white space, unless the next word starts in lower case
# ("e.g. the", "approx. five").
_WESTERN_END = regex.compile(r"[.!?…]+[\"'”’»)\]]*(?=\s)(?!\s+\p{Ll})")
_CJK_END = regex.compile(r"[。！？；!?;…]+[”’」』）)]*")
_ABBREVIATIONS = frozenset(
    "e.g i.e etc inc ltd co corp mr mrs ms dr st no nos vs art para sec fig approx jr sr u.s u.k "
    "т.е т.д т.п т.ч др пр ст п пп г гг ул д им рис см тел руб коп".split()
)
_LAST_WORD = regex.compile(r"([\p{L}.]+)\.$")
_SOFT_BREAK_BEFORE = regex.compile(r"[\p{Ll},\-–(]$")
_LOWER_START = regex.compile(r"^\s*\p{Ll}")
_ENUMERATOR = regex.compile(
    r"^\s*(?:[（(]?[一二三四五六七八九十\d]+[)）、.．]|第[一二三四五六七八九十\d]+[章条节部分]|[IVX]+\.|[A-Za-z][.)]\s|\([a-z]\)\s"
    r"|(?:Статья|Раздел|Глава|Article|Section)\s+\d+(?:\.\d+)*\.?(?=\s|$))"
)
# A sentence closes with one of these marks, then perhaps quotes or brackets that close too.
_CLOSING_MARKS = ".。!?！？;；:：,，"
_CLOSERS = "\"'”’»)]）"
_TERMINAL = regex.compile(f"[{regex.escape(_CLOSING_MARKS)}]\\s*[{regex.escape(_CLOSERS)}]*\\s*$")
_BLANKS = (" ", "\t", "\u00a0", "\u3000", "\f", "\v")  # white space within a line, not counted in its size
_HEADING_WORDS = 8
_HEADING_CJK = 16
# seven digits or more, perhaps grouped ("400-666-6312"), or a Chinese street address ("北京市海淀区上地十街10号") and
# the department mail goes to ("斗鱼 法务部收", "北京百度网讯科技有限公司 法务部")
_CONTACT_LIKE = regex.compile(
    r"\d[\d -]{5,}\d|\d+号|(?:省|市)[^，。]{0,12}[区县]|(?:法务部|客服部|隐私(?:保护)?部)\s*(?:[（(]收[）)]|收)|(?:公司|集团)[\s,，]*(?:法务部|客服部)"
)


@dataclass(frozen=True, slots=True)
class Segmentation:
    """The sentences of a document with the languages found in it."""

    sentences: tuple[Sentence, ...]
    segments: int
    language: str | None
    languages: dict[str, float]
    unanalyzed: tuple[tuple[int, int, str], ...] = ()  # (start, end, language) of blocks in no analyzed language


def segment_document(text: str, language: str | None = None) -> Segmentation:
    """Detect the language of each line (or take `language`), group lines into segments, split sentences."""
    lines = _lines(text)
    tags = [language if language else detect_language(text[s:e]) for s, e in lines]
    tags = _fill_unknown(tags, script_language(text) if lines and not any(tags) else "und")
    sizes: dict[str, int] = {}
    for (s, e), tag in zip(lines, tags):
        line = text[s:e]
        sizes[tag] = sizes.get(tag, 0) + len(line) - sum(map(line.count, _BLANKS))
    total = sum(sizes.values()) or 1
    shares = {lang: round(n / total, 3) for lang, n in sorted(sizes.items(), key=lambda kv: (-kv[1], kv[0]))}
    dominant = next(iter(shares), None)

    sentences: list[Sentence] = []
    unanalyzed: list[tuple[int, int, str]] = []
    segments = 0
    for start, end, lang in _blocks(text, lines, tags):
        segments += 1
        sentences.extend(_split_sentences(text, start, end, lang))
        if lang not in ANALYZED_LANGUAGES:
            unanalyzed.append((start, end, lang))
    return Segmentation(tuple(sentences), segments, dominant, shares, tuple(unanalyzed))


def _lines(text: str) -> list[tuple[int, int]]:
    """Spans of the non-blank lines, without their line breaks."""
    # Lines end at \n (or \r\n); a text with only \r (old Mac files) breaks its lines there.
    separator = "\n" if "\n" in text or "\r" not in text else "\r"
    spans = []
    start = 0
    length = len(text)
    while start < length:
        end = text.find(separator, start)
        if end == -1:
            end = length
        stop = end
        if stop > start and text[stop - 1] == "\r":
            stop -= 1
        if not text[start:stop].isspace() and stop > start:
            spans.append((start, stop))
        start = end + 1
    return spans


def _fill_unknown(tags: list[str | None], default: str) -> list[str]:
    """Lines too short to tell (headings, names) take the language of the line after, or before."""
    filled: list[str | None] = list(tags)
    following = None
    for index in range(len(filled) - 1, -1, -1):
        following = filled[index] = filled[index] or following
    previous = next((t for t in tags if t), default)
    for index, tag in enumerate(filled):
        previous = filled[index] = tag or previous
    return filled


def _blocks(text: str, lines: list[tuple[int, int]], tags: list[str]):
    """Runs of adjacent lines (no blank line between) that share a language."""
    block_start = block_end = None
    block_lang = None
    for (start, end), tag in zip(lines, tags):
        adjacent = block_end is not None and text.count("\n", block_end, start) <= 1 and "\n\n" not in text[block_end:start].replace("\r", "")
        if block_start is not None and adjacent and tag == block_lang:
            block_end = end
            continue
        if block_start is not None:
            yield block_start, block_end, block_lang
        block_start, block_end, block_lang = start, end, tag
    if block_start is not None:
        yield block_start, block_end, block_lang


def _split_sentences(text: str, start: int, end: int, lang: str) -> list[Sentence]:
    cuts = _cjk_cuts(text, start, end) if lang in ("zh", "ja") else _western_cuts(text, start, end)
    sentences = []
    previous = start
    for cut in cuts + [end]:
        sentences.extend(_trimmed(text, previous, cut, lang))
        previous = cut
    return sentences


def _cjk_cuts(text: str, start: int, end: int) -> list[int]:
    cuts = [m.end() for m in _CJK_END.finditer(text, start, end)]
    cuts += [i + 1 for i in range(start, end) if text[i] == "\n"]
    return sorted(set(c for c in cuts if start < c < end))


_NUMBERED_WORD = regex.compile(r"\s*(?:Статья|Раздел|Глава|Article|Section)\s+")


def _is_enumerator_dot(text: str, start: int, dot: int) -> bool:
    """Whether the dot closes a section number standing at the start of a line ("5.", "2.6.")."""
    index = dot
    while index > start and (text[index - 1].isdigit() or text[index - 1] == "."):
        index -= 1
    if index < dot and text[index].isdigit() and index > start and text[index - 1] == " ":
        line_start = text.rfind("\n", start, index) + 1 or start
        if _NUMBERED_WORD.fullmatch(text, line_start, index):
            return True  # "Статья 5. Права субъекта", "Article 12. Your rights"
    return index < dot and (index == start or text[index - 1] == "\n") and text[index].isdigit()


def _western_cuts(text: str, start: int, end: int) -> list[int]:
    cuts = []
    for match in _WESTERN_END.finditer(text, start, end):
        dot = match.start()
        if match.end() - dot == 1 and text[dot] == ".":
            if text[dot - 1].isdigit() and _is_enumerator_dot(text, start, dot):
                continue  # "5. How to contact us", "2.6. Обработка": a section number, not an end
            # Abbreviations are short: look at the word before the dot only when it is.
            space = text.rfind(" ", max(start, dot - 8), dot)
            if space != -1 or dot - start <= 8:
                word = _LAST_WORD.search(text, max(start, dot - 20), match.end())
                if word and word.group(1).lower().rstrip(".") in _ABBREVIATIONS:
                    continue
                if word and len(word.group(1)) == 1 and word.group(1).isupper():
                    continue  # an initial: "Петров О. В.", "John F. Kennedy"
        cuts.append(match.end())
    position = text.find("\n", start, end)
    while position != -1:
        # A line broken inside a sentence (lower case or a comma before, lower case after) goes on.
        before = text[max(start, position - 2):position].rstrip("\r")
        after = text[position + 1:min(end, position + 40)]
        if not (_SOFT_BREAK_BEFORE.search(before) and _LOWER_START.match(after)):
            cuts.append(position + 1)
        position = text.find("\n", position + 1, end)
    return sorted(set(c for c in cuts if start < c < end))


def _trimmed(text: str, start: int, end: int, lang: str) -> list[Sentence]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if start >= end:
        return []
    pieces = []
    while end - start > MAX_SENTENCE:
        cut = _long_cut(text, start, start + MAX_SENTENCE)
        pieces.append(Sentence(start, cut, lang))
        start = cut
        while start < end and text[start].isspace():
            start += 1
    if start < end:
        pieces.append(Sentence(start, end, lang))
    return pieces


_DATED = regex.compile(r"\b(?:19|20)\d\d\W{0,3}$")


def is_heading(text: str, sentence: Sentence) -> bool:
    """A heading names a topic ("三、对外提供信息", "Cookies"); it states no practice of its own.

    A heading is a whole line with no closing punctuation that starts with a section number, or
    is short (Chinese) or short and in title case (English).
    """
    # A heading is a whole line: only white space between it and the line's ends. Read outwards
    # from the sentence, so that the work does not grow with the line (a 20 MB line of sentences).
    line_start = sentence.start
    while line_start > 0 and text[line_start - 1] != "\n":
        if not text[line_start - 1].isspace():
            return False
        line_start -= 1
    line_end = sentence.end
    while line_end < len(text) and text[line_end] != "\n":
        if not text[line_end].isspace():
            return False
        line_end += 1
    body = text[sentence.start:sentence.end]
    if _TERMINAL.search(body) or ":" in body or "：" in body or "@" in body or _CONTACT_LIKE.search(body):
        return False  # a line with a phone number, an address or an e-mail address is contact information, not a topic
    if _DATED.search(body):
        return False  # "Effective December 17, 2025": a line that ends in a year dates the text, it names no topic
    words = body.split()
    # English headings are title case; a short sentence-case line may well be a statement.
    capitalised = sum(1 for w in words if w[:1].isupper() or not w[:1].isalpha())
    title_case = capitalised * 4 >= len(words) * 3
    if _ENUMERATOR.match(body):
        # A numbered line among numbered lines, in sentence case, is an item of a list ("3. Request
        # portability of your data"); a numbered line above its text, or a run in title case (a
        # table of contents), is a heading.
        return not (sentence.language == "en" and not title_case and _in_numbered_run(text, line_start, line_end))
    if sentence.language in ("zh", "ja"):
        return len(body) <= _HEADING_CJK
    return sentence.language == "en" and len(words) <= _HEADING_WORDS and title_case


def _in_numbered_run(text: str, line_start: int, line_end: int) -> bool:
    """Whether the line before or after this one (with no blank line between) is numbered too."""
    before_end = line_start - 1
    if before_end > 0:
        before = text[text.rfind("\n", 0, before_end) + 1:before_end]
        if before.strip() and _ENUMERATOR.match(before):
            return True
    if line_end != -1:
        after_end = text.find("\n", line_end + 1)
        after = text[line_end + 1:len(text) if after_end == -1 else after_end]
        if after.strip() and _ENUMERATOR.match(after):
            return True
    return False


# A word in title case: a capital, then at least one small letter ("Information", "What's"; not "AOL"), or
# a whole word in capitals of a heading set in capitals ("CHANGES TO THIS PRIVACY POLICY")
_TITLE_WORD = regex.compile(r"(?<!\S)\p{Lu}\S*?\p{Ll}|(?<!\S)\p{Lu}{2,}(?!\S)")
_DIGIT_OR_AT = regex.compile(r"[\d@]")
_HEADING_RUN_WORDS = 9
_HEADING_RUN_SHARE = 0.7


def is_heading_run(text: str, sentence: Sentence) -> bool:
    """A run of headings on one line, as a table of contents or a site menu gives them ("What
    Information We Collect How We Use Your Information Who We Share Your Information With ...",
    "CHILDREN CHANGES TO THIS PRIVACY POLICY SPECIAL NOTICE TO CALIFORNIA CONSUMERS HOW TO CONTACT US"),
    names topics; it states no practice of its own. English only: at least nine words, most of
    them in title case, no closing punctuation (a sentence in title case ends like a sentence), and
    no digit or "@" (a postal or e-mail address is contact information)."""
    if sentence.language != "en":
        return False
    body = text[sentence.start:sentence.end]
    end = body.rstrip().rstrip(_CLOSERS).rstrip()  # _TERMINAL read from the end: a regex search here is slow
    if not end or end[-1] in _CLOSING_MARKS or _DIGIT_OR_AT.search(body):  # most sentences stop at the first test
        return False
    words = len(body.split())
    return words >= _HEADING_RUN_WORDS and len(_TITLE_WORD.findall(body)) >= _HEADING_RUN_SHARE * words


# Used with match(text, start, end): anchored at the sentence start, so no ^ (which would only
# match at the start of the whole text).
_DEFINITION_LEAD = r"""\s*(?:[\d.]+\s*|[-–•●·]\s*)?"""  # a number or a list mark before the term
_NOT_A_PRONOUN = r"""(?!(?i:we|you|our|your|they|it|мы|вы|наш|ваш)\b)"""  # "We collect — ..." defines nothing
# nor does a term followed by a statement about it: "Cookies — we use them to remember you", "评论信息——您可以…
# 访问、更正、清除您的评论内容", "个性化广告——如您不希望接收…"
_NO_STATEMENT = r"""(?![—–\s]*(?:(?i:we|you|if|when|мы|вы|если|когда)\b|您|你|我们|如|若|当))"""
_DEFINITION = regex.compile(
    _DEFINITION_LEAD + r"""(?:"""
    # a quoted term, then a dash or "means": «Оператор» — ..., "Personal data" means ...
    r"""[«"“'][^«»"“”']{1,60}[»"”']\s*(?:[—–-]|(?:means|refers to|shall mean|is defined as|означает|понимается)\b)"""
    # a term of up to four words, then a long dash or "means": Обработка персональных данных — ...
    r"""|""" + _NOT_A_PRONOUN + r"""(?:[\p{L}\p{N}()/-]+\s+){0,3}[\p{L}\p{N}()/-]+\s*(?:[—–]+""" + _NO_STATEMENT + r"""|\s(?:means|refers to|shall mean|is defined as|означает|понимается)\b)"""
    # 关联公司：指 ...; a glossary entry: "Cookie ： 是一种…技术", "GPS ： Global Positioning System（全球定位系统）的简称",
    # "SSL ：SSL（Secure Socket Layer）又称为安全套接层"
    r"""|[\p{Han}\w“”"《》/（）()、 ]{1,20}[：:]\s*(?:指|是指|是一种|[^，。：:]{0,40}?(?:的简称|的缩写|又称)))""",
)


# Russian policies often type the dash of a definition as a spaced hyphen: "- распространение
# персональных данных - действия, направленные на раскрытие…" (in English that is too often a list).
_RU_HYPHEN_DEFINITION = regex.compile(
    _DEFINITION_LEAD + _NOT_A_PRONOUN + r"""(?:[\p{L}\p{N}()/]+\s+){0,3}[\p{L}\p{N}()/]+\s+-\s"""
)
_DEFINITION_MARKERS = ("—", "–", "-", "mean", "refer", "defined", "означа", "понима", "指", "一种", "简称", "缩写", "又称")


def is_definition(text: str, sentence: Sentence) -> bool:
    """A definition ("«Оператор» — ...", "关联公司：指...", '"Personal data" means ...') explains a
    word of the policy; it states no practice of its own."""
    head = text[sentence.start:min(sentence.end, sentence.start + 120)]
    for marker in _DEFINITION_MARKERS:
        if marker in head:
            if _DEFINITION.match(text, sentence.start, sentence.end):
                return True
            return sentence.language == "ru" and " - " in head and bool(_RU_HYPHEN_DEFINITION.match(text, sentence.start, sentence.end))
    return False  # no dash, "means" or 指 near the start: no need for the full pattern


def _long_cut(text: str, start: int, limit: int) -> int:
    """Where to cut an over-long sentence: at the last comma or space before the limit."""
    floor = start + MAX_SENTENCE // 2
    for mark in (", ", "，", "; ", " "):
        position = text.rfind(mark, floor, limit)
        if position != -1:
            return position + len(mark)
    return limit
