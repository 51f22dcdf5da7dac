"""Every user-facing text innerpace ships speaks plainly: no health claims, no scoreboard.

innerpace describes one person's own runs. It never claims to treat, cure or diagnose, never calls
a finding proven or significant, and never turns running into a game. Saying what it is *not*
("not a treatment", "it can't diagnose anything") is fine: a negation shortly before the word
lets it pass.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "src" / "innerpace"

CLAIMS = re.compile(
    r"\b(?:therap(?:y|ies|ist|ists|eutic|eutically)"
    r"|treat(?:s|ed|ing|ment|ments)?"
    r"|cur(?:e|es|ed|ing)"
    r"|heal(?:s|ed|ing|er)?"
    r"|prov(?:e|es|ed|en|ing)"
    r"|significant(?:ly)?|significance"
    r"|diagnos(?:e|es|ed|ing|is|tic)"
    r"|clinical(?:ly)?)\b",
    re.IGNORECASE,
)
GAMIFIED = re.compile(r"\b(?:streaks?|badges?|crushed|crush(?:ing)? it|beat your)\b", re.IGNORECASE)

NEGATIONS = frozenset(
    {"not", "no", "never", "cannot", "without", "nor", "neither", "none", "nothing"}
)
WINDOW = 5  # words before the flagged one that may hold its negation

# Exact sentences that read as claims to a word list but are not; keep this short.
ALLOWED_SENTENCES: frozenset[str] = frozenset()

INLINE_TAGS = re.compile(r"^</?(?:a|abbr|b|code|em|i|kbd|mark|small|span|strong|time)\b", re.I)
MARKUP = re.compile(r"\{#.*?#\}|\{%.*?%\}|\{\{.*?\}\}|<!--.*?-->|<[^>]+>", re.S)
URL = re.compile(r"https?://\S+")
# A sentence ends at . ! ? ; or where a new paragraph, list item, heading, table row,
# TOML key or TOML table begins.
BOUNDARY = re.compile(
    r"[.!?;](?=\s|$)|\n\s*\n|\n\s*(?:[-*+>#|]|\d+\.)\s|\n\s*[\w\"-]+\s*=|\n\s*\[", re.M
)
WORD = re.compile(r"[\w'’]+")


@dataclass(frozen=True)
class Finding:
    path: str
    line: int
    word: str
    text: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.word!r} in: {self.text.strip()}"


def user_facing_files() -> list[Path]:
    found = [
        PACKAGE / "words" / "messages.toml",
        PACKAGE / "prompts" / "prompts.toml",
        PACKAGE / "support" / "contacts.toml",
        *sorted((PACKAGE / "instruments" / "definitions").glob("*.toml")),
        *sorted((PACKAGE / "guide" / "sessions").glob("*.toml")),
        *sorted((PACKAGE / "web" / "templates").rglob("*.html")),
        *sorted((ROOT / "docs").rglob("*.md")),
        ROOT / "README.md",
    ]
    return [p for p in found if p.is_file()]


def _blank(match: re.Match[str]) -> str:
    """Markup out, same length and line breaks kept; block tags end a sentence."""
    chunk = match.group(0)
    keep = "".join("\n" if c == "\n" else " " for c in chunk)
    if chunk.startswith("<") and not INLINE_TAGS.match(chunk):
        keep = "." + keep[1:]
    return keep


def readable(path: Path) -> str:
    """The text a person reads, at the same offsets as in the file."""
    raw = path.read_text("utf-8")
    if path.suffix == ".html":
        raw = MARKUP.sub(_blank, raw)
    return URL.sub(lambda m: " " * len(m.group(0)), raw)


def _negated(before: str) -> bool:
    words = [w.lower() for w in WORD.findall(before)][-WINDOW:]
    return any(w in NEGATIONS or w.endswith(("n't", "n’t")) for w in words)


def _sentence(text: str, start: int, end: int) -> tuple[int, str]:
    begin = 0
    for boundary in BOUNDARY.finditer(text, 0, start):
        begin = boundary.end()
    stop = BOUNDARY.search(text, end)
    return begin, text[begin : stop.start() if stop else len(text)]


def findings(path: Path, pattern: re.Pattern[str]) -> list[Finding]:
    text = readable(path)
    lines = path.read_text("utf-8").splitlines()
    found = []
    for match in pattern.finditer(text):
        begin, sentence = _sentence(text, match.start(), match.end())
        if _negated(text[begin : match.start()]):
            continue
        if " ".join(sentence.split()) in ALLOWED_SENTENCES:
            continue
        line = text.count("\n", 0, match.start()) + 1
        found.append(Finding(_name(path), line, match.group(0), lines[line - 1]))
    return found


def _name(path: Path) -> str:
    try:
        return str(path.relative_to(ROOT))
    except ValueError:
        return str(path)


def _report(found: list[Finding]) -> str:
    return "\n".join(str(f) for f in found)


def test_the_guard_reads_the_files_that_ship():
    names = {_name(p) for p in user_facing_files()}
    assert "src/innerpace/words/messages.toml" in names
    assert "src/innerpace/prompts/prompts.toml" in names
    assert "README.md" in names


@pytest.mark.parametrize("path", user_facing_files(), ids=_name)
def test_no_claims_of_therapy_cure_proof_or_diagnosis(path):
    found = findings(path, CLAIMS)
    assert not found, "health or proof claims in user-facing text:\n" + _report(found)


@pytest.mark.parametrize("path", user_facing_files(), ids=_name)
def test_no_scoreboard_words(path):
    found = findings(path, GAMIFIED)
    assert not found, "gamified words in user-facing text:\n" + _report(found)


# --- the guard itself ----------------------------------------------------------------------------


def _scan(tmp_path: Path, name: str, content: str, pattern=CLAIMS) -> list[Finding]:
    path = tmp_path / name
    path.write_text(content, "utf-8")
    return findings(path, pattern)


@pytest.mark.parametrize(
    "sentence",
    [
        "Running heals the mind.",
        "A proven way to lift your mood.",
        "The lift was statistically significant.",
        "This therapy for runners works.",
        "It can diagnose low mood.",
        "A clinically tested journal.",
        "Running is the cure.",
        "Use it to treat anxiety.",
    ],
)
def test_the_guard_catches_claims(tmp_path, sentence):
    assert _scan(tmp_path, "claim.md", f"# Title\n\n{sentence}\n")


@pytest.mark.parametrize(
    "sentence",
    [
        "innerpace is not a treatment.",
        "WHO-5 is a screening question set; it can't diagnose anything.",
        "A pattern here doesn't prove that running caused it.",
        "It is never a cure and never therapy.",
        "No medical advice, no diagnosis.",
        "Findings are described, not proven.",
        "It can’t diagnose anything.",
        "Psychotherapy and Psychosomatics 84:167",
        "Your health matters.",
        "Nothing here is a treatment or a training plan.",
        "Settle into an easy pace. Nothing to prove.",
    ],
)
def test_the_guard_lets_negations_and_lookalikes_pass(tmp_path, sentence):
    assert not _scan(tmp_path, "fine.md", f"{sentence}\n")


def test_a_negation_does_not_reach_into_the_next_sentence(tmp_path):
    assert _scan(tmp_path, "two.md", "This is not a chore. Running heals.\n")


def test_a_negation_does_not_reach_into_the_next_list_item(tmp_path):
    assert _scan(tmp_path, "list.md", "- not a coach\n- heals the mind\n")


def test_the_guard_reports_file_and_line(tmp_path):
    found = _scan(tmp_path, "where.md", "Fine line.\n\nStill fine.\nA proven method.\n")
    assert [(f.line, f.word) for f in found] == [(4, "proven")]
    assert str(found[0]).startswith(f"{tmp_path / 'where.md'}:4:")


def test_the_guard_reads_template_text_not_markup(tmp_path):
    html = '<span class="badge">{{ run.streak }}</span>\n<p>Quiet words.</p>\n'
    assert not _scan(tmp_path, "page.html", html, GAMIFIED)
    assert _scan(tmp_path, "page.html", "<p>Keep your streak alive.</p>\n", GAMIFIED)


def test_the_guard_catches_scoreboard_words(tmp_path):
    for sentence in (
        "A 5-day streak.",
        "You earned a badge.",
        "You crushed it.",
        "Beat your best.",
    ):
        assert _scan(tmp_path, "game.md", sentence + "\n", GAMIFIED), sentence
    assert not _scan(tmp_path, "game.md", "No streaks to lose, no badges.\n", GAMIFIED)
