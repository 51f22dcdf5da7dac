"""The runner's own words: reflections, check-in notes and moment notes.

Built from a handful of themes this runner keeps running with, so the same words recur the way they
do in a real journal. All text is original to innerpace.
"""

from __future__ import annotations

from datetime import date

import numpy as np

# Each theme: sentences for a reflection. {km} and {weekday} are filled in.
THEMES: dict[str, tuple[str, ...]] = {
    "mum": (
        "Mum's scan results are due on {weekday} and I ran the whole way with that date in mind.",
        "I kept thinking about Mum in the hospital bed, so small under the blanket.",
        "Called Mum before the run; her voice sounded tired but she laughed at my joke.",
        "The oncologist used the word palliative and I ran it off as far as I could.",
        "Drove to Mum's after work and ran her old route along the allotments.",
        "Mum asked me to bring the garden photos next time. I ran past the roses to take them.",
    ),
    "grief": (
        "Around km {km} I thought about her garden and who will water it now.",
        "Grief comes in waves on these runs, and today the wave came at the bridge.",
        "I miss my mother in a way that has no words, so I just kept my feet moving.",
        "It is strange to run past the hospital and know she is not in there anymore.",
        "Her birthday next week. I do not know what to do with that day yet.",
        "Dad called again about the house. I ran and let the grief sit next to me for once.",
        "I cried by the weir and nobody looked twice, which felt like a kindness.",
        "Found myself talking to her out loud on the last kilometre.",
        "The first summer without Mum. The grief is quieter now, but it runs with me.",
    ),
    "work": (
        "Work has been relentless this week and my shoulders only dropped after twenty minutes.",
        "The deadline for the quarterly report is Friday and my inbox is a wall.",
        "Left the laptop open at home and ran before I could answer one more email.",
        "My manager moved the project goalposts again; I ran the anger into the pavement.",
        "The reorganisation meeting kept replaying, but by km {km} it was just noise.",
        "I realised I say yes to every request at work, and it is wearing me thin.",
        "Spent the first half of the run drafting emails in my head. Then I stopped.",
        "Presentation tomorrow. Running was the only hour today nobody needed anything from me.",
        "Wondering if this job is still the right one. No answer, but a quieter question.",
        "Colleague praised the launch in the team meeting and I let myself enjoy it.",
    ),
    "friend": (
        "Ran with Mira again; we did not talk much, and that was the point.",
        "I have been avoiding Mira's messages since the argument and I know it.",
        "Mira and I talked the whole loop about her move and I realised how much I will miss her.",
        "Wrote to Mira after the run. Short message, but it was the first one in weeks.",
        "A friendship can go quiet without ending. Mira's voice note made me smile at km {km}.",
        "The Thursday group felt like friends tonight rather than strangers who run.",
        "Mira said I looked lighter than last month. I think she is right.",
        "Missed my friend today; the route we used to share still feels like hers.",
    ),
    "sleep": (
        "Slept badly again, awake at four with my thoughts going in circles.",
        "Third night of bad sleep; my legs felt heavy but my head needed the air.",
        "Insomnia makes everything louder. The run turned the volume down a little.",
        "Slept eight hours for once and the whole run felt easy and bright.",
        "Tired all day, the kind of tired that sleep does not fix.",
        "Woke at five, gave up on sleep and went out into the dark before the alarm.",
        "Napped after the run and woke feeling almost rested.",
    ),
    "river": (
        "The river path was empty and silver this morning, and I felt grateful just to be on it.",
        "Saw the heron on the river again, standing so still by the old weir.",
        "Mist on the river and geese overhead. I am thankful for this path more than I can say.",
        "The light on the water at the bridge made me stop and just breathe.",
        "Ducklings by the river bend. I laughed out loud alone on the path.",
        "Gratitude for the river today: same path, new water, every single time.",
        "Frost on the riverbank and my breath in clouds; the cold felt clean.",
        "The willows along the river are turning yellow. I slowed down to look.",
    ),
    "city": (
        "Still learning this new city; I found a street today I have never seen.",
        "A year since the move and the city is starting to feel like mine.",
        "Ran through a neighbourhood I did not know and got happily lost.",
        "Some days the new city still feels foreign, and I miss the old flat and its noises.",
        "The baker on the corner waved at me today. Small thing. It felt like belonging.",
        "Mapped a new loop through the old town; the cobbles are brutal but beautiful.",
        "I used to feel like a visitor here. Running the streets is making a home of them.",
    ),
}

# Lines about the run itself, mixed into any reflection.
RUNNING = (
    "Legs heavy, head lighter.",
    "Easy pace, no watch checking.",
    "The first two kilometres were a negotiation.",
    "Finished slower than planned and did not mind at all.",
    "Headwind on the way out, a gift on the way back.",
    "My breathing settled into three steps in, two out.",
    "Ended with a slow last kilometre, which felt like the right ending.",
    "Rain the whole way. I felt strangely alive.",
)

# One line answers to "what are you carrying today?"
CARRYING: dict[str, tuple[str, ...]] = {
    "mum": ("Mum's scan on Friday", "the hospital call", "visiting Mum tonight"),
    "grief": ("missing Mum", "her birthday coming", "Dad on his own"),
    "work": ("deadline", "too many meetings", "the reorg", "an email I have not answered"),
    "friend": ("things unsaid with Mira", "Mira's move"),
    "sleep": ("slept badly", "tired", "awake since four"),
    "river": ("nothing much, just glad to go", "quiet"),
    "city": ("homesick", "new city, old habits"),
}

MOMENT_NOTES: dict[str, tuple[str, ...]] = {
    "release": (
        "around km {km} it all came up",
        "shoulders finally dropped",
        "let it go at the weir",
    ),
    "tears": ("cried by the bridge", "tears for Mum, then lighter"),
    "clarity": (
        "knew what to say to Mira",
        "the answer about work was obvious",
        "clear head at km {km}",
    ),
    "calm": ("everything went quiet", "just breath and feet"),
    "forgiveness": ("forgave myself for the spring", "let the argument go"),
    "struggle": ("legs like concrete", "wanted to stop", "everything hurt for a while"),
    "joy": ("laughed out loud", "flying downhill"),
    "gratitude": ("thankful for this path", "thank you, river"),
    "noticing": ("the heron again", "smell of rain", "first swifts of the year"),
}

# Words that belong to a time of year, and the months they fit.
SEASONAL = {
    "Frost": (11, 12, 1, 2, 3),
    "willows": (9, 10, 11),
    "Ducklings": (4, 5, 6),
    "first summer": (6, 7, 8, 9),
    "swifts": (4, 5),
    "Mist": (9, 10, 11, 12, 1, 2, 3),
}

PROMPTS_AFTER = ("after-what-surfaced", "after-one-word", "after-what-changed")
PROMPTS_HARD = ("hard-day-what-carried", "hard-day-one-kind-thing")
PROMPT_REST = "rest-day-what-noticed"
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def theme_weights(phase: str) -> dict[str, float]:
    """How present each theme is in a part of the year: before, during or after the hard season."""
    if phase == "before":
        weights = {"mum": 3.0, "grief": 0.0, "work": 2.0, "friend": 1.0, "sleep": 1.0}
        return weights | {"river": 1.5, "city": 2.0}
    if phase == "hard":
        weights = {"mum": 1.5, "grief": 3.5, "work": 1.0, "friend": 0.8, "sleep": 2.0}
        return weights | {"river": 0.8, "city": 0.3}
    weights = {"mum": 0.0, "grief": 2.0, "work": 1.5, "friend": 2.0, "sleep": 0.8}
    return weights | {"river": 2.0, "city": 1.0}


def pick_theme(rng: np.random.Generator, phase: str, exclude: str | None = None) -> str:
    weights = {k: v for k, v in theme_weights(phase).items() if k != exclude}
    names = list(weights)
    p = np.array([weights[n] for n in names])
    return names[rng.choice(len(names), p=p / p.sum())]


def fits(text: str, day: date) -> bool:
    """Whether ``text`` belongs to ``day``'s time of year."""
    return all(day.month in months for word, months in SEASONAL.items() if word in text)


def _fill(rng: np.random.Generator, text: str, day: date) -> str:
    return text.format(km=int(rng.integers(5, 9)), weekday=WEEKDAYS[(day.weekday() + 3) % 7])


def reflection_text(rng: np.random.Generator, phase: str, day: date, on_run: bool) -> str:
    """A short first-person reflection in Markdown: 1 to 5 sentences around one or two themes."""
    main = pick_theme(rng, phase)
    count = int(rng.choice([1, 2, 3, 4, 5], p=[0.15, 0.3, 0.3, 0.15, 0.1]))
    own = [s for s in THEMES[main] if fits(s, day)]
    n_main = min(len(own), max(1, count - int(rng.integers(0, 2))))
    picks = [own[i] for i in rng.choice(len(own), size=n_main, replace=False)]
    if len(picks) < count and rng.random() < 0.5:
        other = [s for s in THEMES[pick_theme(rng, phase, exclude=main)] if fits(s, day)]
        picks.append(other[rng.integers(len(other))])
    if len(picks) < count and on_run:
        picks.insert(int(rng.integers(0, len(picks) + 1)), RUNNING[rng.integers(len(RUNNING))])
    sentences = [_fill(rng, s, day) for s in picks]
    style = rng.random()
    if style < 0.12 and len(sentences) > 1:
        return f"*{sentences[0]}*\n\n" + " ".join(sentences[1:])
    if style < 0.25 and len(sentences) > 2:
        return " ".join(sentences[:2]) + "\n\n" + " ".join(sentences[2:])
    return " ".join(sentences)


def carrying_note(rng: np.random.Generator, phase: str) -> str:
    notes = CARRYING[pick_theme(rng, phase)]
    return notes[rng.integers(len(notes))]


def moment_note(rng: np.random.Generator, tag: str, metres: float | None, day: date) -> str:
    """A few words a runner adds to a moment."""
    notes = [n for n in MOMENT_NOTES[tag] if fits(n, day)]
    text = notes[rng.integers(len(notes))]
    return text.format(km=max(1, int(metres // 1000 + 1)) if metres else 7)
