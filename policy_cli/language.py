"""Tell the language of a stretch of text from its script and, for Latin script, its function words."""

from __future__ import annotations

import regex

_SCRIPTS = {
    "han": regex.compile(r"\p{Han}"),
    "kana": regex.compile(r"[\p{Hiragana}\p{Katakana}]"),
    "hangul": regex.compile(r"\p{Hangul}"),
    "cyrillic": regex.compile(r"\p{Cyrillic}"),
    "latin": regex.compile(r"\p{Latin}"),
    "arabic": regex.compile(r"\p{Arabic}"),
    "greek": regex.compile(r"\p{Greek}"),
    "hebrew": regex.compile(r"\p{Hebrew}"),
    "thai": regex.compile(r"\p{Thai}"),
    "devanagari": regex.compile(r"\p{Devanagari}"),
}
_ASCII_LETTERS = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
_MAIN_SCRIPTS = ("han", "cyrillic", "latin", "kana")
_SAMPLE = 4000  # characters of a line that decide its script
_LATIN_SAMPLE = 300  # characters of a Latin-script line whose function words decide its language
_WORD = regex.compile(r"\p{Latin}+")

# Frequent function words: enough to tell English from the other Latin-script languages a policy
# may switch to (seed 001 ends in Indonesian). Unknown Latin text is reported as such, never guessed.
_FUNCTION_WORDS = {
    "en": "the and of to in is that for you we your our are with this be by or as on not may from it will "
    "any which can have us if such what how does do has been who when where there their they its about "
    "these those other",
    "id": "dan yang untuk dengan kami anda ini di dari dalam tidak akan atau pada oleh dapat kepada "
    "adalah juga",
    "de": "und der die das ist nicht zu den mit sie wir ihre von für auf eine ein dem des werden oder",
    "fr": "le la les et des est pas vous nous une un du pour dans que qui sur par vos ou au sont",
    "es": "el la los las y de que en para con por una un es su sus nos usted no se al o",
    "pt": "o os e de que em para com por uma um não se ao do da dos das você seus",
    "it": "il lo la gli le e di che per con una un non del della sono ai al dei",
    "nl": "de het een en van is dat niet voor met wij uw zijn op te ons aan",
}
_WORD_LANGUAGE: dict[str, dict[str, int]] = {}
for _lang, _words in _FUNCTION_WORDS.items():
    for _w in _words.split():
        _WORD_LANGUAGE.setdefault(_w, {})[_lang] = 1

_SCRIPT_LANGUAGE = {"hangul": "ko", "arabic": "ar", "greek": "el", "hebrew": "he", "thai": "th", "devanagari": "hi"}
_UKRAINIAN = regex.compile(r"[іїєґІЇЄҐ]")
_MIN_LETTERS = 4


# Web and e-mail addresses are in Latin letters whatever the language around them ("распространяется
# на веб-сайты mozilla.org, firefox.com…"): they say nothing of it.
_ADDRESS = regex.compile(r"(?:https?://|www\.)\S+|[\w.+-]+@[\w-]+(?:\.[\w-]+)+|\b[\w-]+(?:\.[\w-]+)*\.(?:com|org|net|ru|cn|io|gov|edu|de|uk|рф)\b")

_ADDRESS_HINT = regex.compile(r"://|www\.|@|\.(?:com|org|net|ru|cn|io|gov|edu|de|uk|рф)\b")


def detect_language(text: str) -> str | None:
    """Return an ISO 639-1 code for the text, 'und' for letters of no known language, None for too few letters."""
    text = text[:_SAMPLE]
    if not text.isascii() and _ADDRESS_HINT.search(text):
        text = _ADDRESS.sub(" ", text)
    if text.isascii():
        raw = text.encode("ascii")
        counts = {"latin": len(raw) - len(raw.translate(None, _ASCII_LETTERS))}
    else:
        counts = {script: n for script in _MAIN_SCRIPTS if (n := len(_SCRIPTS[script].findall(text)))}
        if sum(counts.values()) * 2 < len(text) - text.count(" "):
            # Little of it is Chinese, Cyrillic or Latin: count the other scripts too.
            counts = {script: n for script, pattern in _SCRIPTS.items() if (n := len(pattern.findall(text)))}
    letters = sum(counts.values())
    if letters < _MIN_LETTERS and not counts.get("han"):
        return None
    # A Chinese character carries about as much as a word of three letters.
    weighted = {s: n * (3 if s in ("han", "kana") else 1) for s, n in counts.items()}
    script = max(weighted, key=lambda s: (weighted[s], s))
    if script == "han" or script == "kana":
        return "ja" if counts.get("kana", 0) * 5 > counts.get("han", 0) else "zh"
    if script == "cyrillic":
        return "uk" if len(_UKRAINIAN.findall(text)) * 50 > counts["cyrillic"] else "ru"
    if script == "latin":
        return _latin_language(text)
    return _SCRIPT_LANGUAGE.get(script, "und")


_ENGLISH_WORDS = frozenset(_FUNCTION_WORDS["en"].split())
_ENGLISH_CERTAIN = 0.25  # English prose has more function words than this; other languages far fewer of ours


def script_language(text: str) -> str:
    """A guess from the script alone, for a text whose every line is too short to tell."""
    counts = {lang: len(_SCRIPTS[script].findall(text[:_SAMPLE])) for lang, script in (("zh", "han"), ("ru", "cyrillic"), ("en", "latin"))}
    best = max(counts, key=counts.get)
    return best if counts[best] else "und"


def _latin_language(text: str) -> str | None:
    sample = text[:_LATIN_SAMPLE].lower()
    tokens = sample.split()
    # Fast path: plain English prose, counted on white-space tokens.
    if len(tokens) > 12 and sum(map(_ENGLISH_WORDS.__contains__, tokens)) >= _ENGLISH_CERTAIN * len(tokens):
        return "en"
    words = _WORD.findall(sample)
    scores: dict[str, int] = {}
    for word in words:
        for lang in _WORD_LANGUAGE.get(word, ()):
            scores[lang] = scores.get(lang, 0) + 1
    best = max(scores, key=lambda lang: (scores[lang], lang == "en")) if scores else None
    if best is None or (scores[best] < 2 and len(words) <= 4):
        # Headings and names ("Privacy Policy", "Non-Personal Information") carry too few function
        # words to tell: let the neighbouring lines decide.
        return None if len(words) <= 12 else "und"
    return best
