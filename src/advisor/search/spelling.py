"""Words a learner mistypes, set right to the topic vocabulary's (or an author's) spelling.

Word-level only (no question semantics: those are in the intent package).
"""

from __future__ import annotations

import functools
import re

# ASCII words of five letters or more, not fragments of a word with other letters ("Stéphane" is left alone)
_WORD = re.compile(r"(?<![^\W\d_])[A-Za-z]{5,}(?![^\W\d_])")
# chat spelling of "you" where only the pronoun fits ("attention is all u need", "can u recommend"): a vector
# named u ("project v onto u") is left alone
_CHAT_YOU = re.compile(r"\b(all|do|can|could|would|will|did|should|thank|r) u\b(?!\s*([=+*/^\d,]|is\b|and\b))")
# chat shorthand for "with" and "without" ("w/ psets", "w/o heavy proofs"): the readings need the words
_CHAT_WITH = re.compile(r"(?<![\w/])[wW]/(?:(?P<o>[oO])(?![\w/])|(?=\s|[A-Za-z]))")
# chat shorthand for "before" ("probability checklist b4 starting PRML"): not "B4" the paper size or a cell
_CHAT_BEFORE = re.compile(r"(?<![\w-])b4(?=\s+(i|you|we|the|my|a|an|this|that|it|[A-Za-z]+ing)\b)")
# chat shorthand the readings need spelt out ("idk what a jacobian is", "ppl mention Villani", "5 yrs ago", "vids pls");
# lowercase only, so an acronym typed in capitals is left alone
_CHAT_WORDS = {"idk": "I don't know", "dunno": "don't know", "smth": "something", "sth": "something", "abt": "about",
               "bc": "because", "bcs": "because", "cuz": "because", "coz": "because", "ppl": "people", "vids": "videos",
               "vid": "video", "lecs": "lectures", "lec": "lecture", "hw": "homework", "yrs": "years", "yr": "year",
               "tho": "though", "thru": "through", "gonna": "going to", "gotta": "have to", "rn": "right now",
               "ur": "your"}
_CHAT_WORD = re.compile(r"(?<![\w'/.-])(%s)(?![\w'/-])" % "|".join(sorted(_CHAT_WORDS, key=len, reverse=True)))
# endings a known word may carry as typed: a plural, or a dropped apostrophe ("thats", "doesnt", "youre")
_ENDINGS = ("s", "es", "nt", "re", "ve", "ll")


def _deletes(word: str) -> set[str]:
    return {word[:i] + word[i + 1:] for i in range(len(word))}


def one_edit(a: str, b: str) -> bool:
    """Whether b is a, one letter inserted, deleted, changed, or two adjacent letters swapped."""
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        diff = [i for i in range(len(a)) if a[i] != b[i]]
        return len(diff) == 1 or (len(diff) == 2 and diff[1] == diff[0] + 1
                                  and a[diff[0]] == b[diff[1]] and a[diff[1]] == b[diff[0]])
    short, long_ = (a, b) if len(a) < len(b) else (b, a)
    return any(long_[:i] + long_[i + 1:] == short for i in range(len(long_)))


class Speller:
    """Mistyped topic and title words ("gausian processes", "Foundatoins of Data Science") set right to the
    vocabulary's spelling (the topics' names and the records' titles).

    A word is changed only when neither the dictionary (`english`: the embedder's whole-word vocabulary) nor
    the catalog (its topic names, titles, authors, aliases and prose) knows it, and it is one edit (insertion,
    deletion, substitution, swap) away from exactly one word of the vocabulary and authors' surnames. Without a
    dictionary nothing
    is changed: "heard" is one edit from "Hardt", and only a dictionary says it is a word.
    """

    def __init__(self, vocabulary: list[str], prose: list[str], english: set[str], authors: list[str] = (),
                 aliases: list[str] = (), dictionary: set[str] = frozenset()):
        """`dictionary`: more everyday words ("legit", "solver", "binge" are not whole words of the encoder's
        vocabulary): left as typed, unless said as a name (capitalised or possessive) one edit from an author's
        surname ("Josh Stammer", "jonson's")."""
        words = {w.lower() for text in vocabulary for w in _WORD.findall(text)}
        # authors' surnames too: "Trefethan and Bau", "Wassermann's All of Statistics", "goodfelow"
        self.surnames = {w.lower() for a in authors if a.split() for w in _WORD.findall(a.split()[-1])}
        words |= self.surnames
        self.enabled = bool(english)
        self.known = words | {w.lower() for text in [*prose, *authors, *aliases] for w in _WORD.findall(text)} | english
        self.everyday = frozenset(dictionary) - self.known
        self.near: dict[str, set[str]] = {}
        for w in words:
            for key in _deletes(w) | {w}:
                self.near.setdefault(key, set()).add(w)

    def _known(self, lowered: str) -> bool:
        return lowered in self.known or any(
            lowered.endswith(e) and lowered[: -len(e)] in self.known for e in _ENDINGS)

    def _fixed(self, m: re.Match) -> str:
        word = m.group(0)
        lowered = word.lower()
        if self._known(lowered):
            return word
        as_name = word[0].isupper() or m.string.startswith(("'s", "\u2019s"), m.end())
        if lowered in self.everyday and not as_name:
            return word
        found = set().union(*(self.near.get(k, set()) for k in _deletes(lowered) | {lowered}))
        found = {w for w in found if one_edit(lowered, w)}
        if lowered in self.everyday:
            found &= self.surnames
        if len(found) != 1:
            return word
        fixed = next(iter(found))
        return fixed.capitalize() if word[0].isupper() else fixed

    def fix(self, text: str) -> str:
        text = _CHAT_BEFORE.sub("before", text)
        text = _CHAT_WORD.sub(lambda m: _CHAT_WORDS[m.group(1)], text)
        text = _CHAT_WITH.sub(lambda m: "without" if m.group("o") else "with" + " " * m.string[m.end()].isalpha(), text)
        if not self.enabled:
            return text
        return _WORD.sub(self._fixed, _CHAT_YOU.sub(lambda m: m.group(1) + " you", text))


@functools.lru_cache(maxsize=1)
def english_dictionary() -> frozenset[str]:
    """Everyday English words (pyspellchecker's list: 160k, 0.15 s once), or none when the package is missing."""
    try:
        from spellchecker import SpellChecker
    except ImportError:
        return frozenset()
    return frozenset(w for w in SpellChecker(language="en").word_frequency.dictionary if w.isascii() and w.isalpha())



@functools.lru_cache(maxsize=4)
def everyday_words(n: int = 1000) -> frozenset[str]:
    """The n most frequent English words in pyspellchecker's list ("new", "real", "story", "team"; not "learning" or
    "probability"), or none when the package is missing."""
    try:
        from spellchecker import SpellChecker
    except ImportError:
        return frozenset()
    counts = SpellChecker(language="en").word_frequency.dictionary
    ranked = sorted((w for w in counts if w.isascii() and w.isalpha()), key=lambda w: -counts[w])
    return frozenset(ranked[:n])
