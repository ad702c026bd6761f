"""Spanish readability: the Fernández-Huerta index over lesson text, with a small syllable counter."""

import re

_VOWELS = "aeiouáéíóúü"
_STRONG = set("aeoáéíóú")  # accented í and ú break a diphthong, as strong vowels do
_WORD = re.compile(r"[a-záéíóúüñ]+")


def syllables(word: str) -> int:
    """Vowel groups, splitting two strong vowels side by side (hiatus): "lee" 2, "cuidado" 3, "país" 2."""
    count, previous = 0, None
    for letter in word:
        if letter not in _VOWELS:
            previous = None
            continue
        if previous is None or (letter in _STRONG and previous in _STRONG):
            count += 1
        previous = letter
    return max(count, 1)


def plain_text(markdown: str) -> str:
    """Lesson Markdown without front matter, block fences, link targets or markup."""
    text = re.sub(r"\A---\n.*?\n---\n", "", markdown, flags=re.S)
    lines = []
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith(":::") or set(line) <= set("|-: "):
            continue
        line = re.sub(r"!?\[([^\]]*)\]\([^)]*\)", r"\1", line)
        line = re.sub(r"^(#+|[-*+]|\d+\.)\s+", "", line)
        line = line.replace("**", "").replace("*", "").replace("|", " ")
        # A heading or a list item without final punctuation still ends a sentence.
        lines.append(line if line[-1] in ".!?:;" else line + ".")
    return "\n".join(lines)


def fernandez_huerta(text: str) -> float:
    """206.84 − 0.60·P − 1.02·F, P syllables and F sentences per 100 words; 60 and above reads easily."""
    words = _WORD.findall(text.lower())
    sentences = max(1, len(re.findall(r"[.!?:;]+(?:\s|$)", text)))
    per_hundred = 100 / len(words)
    return 206.84 - 0.60 * sum(syllables(w) for w in words) * per_hundred - 1.02 * sentences * per_hundred
