"""Right-to-left controls in text people typed.

A right-to-left override (U+202E) left open reverses everything after it on the line:
the words of the page around a title, the next figure of a report. HTML pages isolate
user text with <bdi>; text that goes where markup cannot (PDF and DOCX runs, plain text)
gets its open embeddings, overrides and isolates closed at its own end, so that they
reach no further than the text that opened them. Balanced text is returned unchanged.
"""

EMBEDDINGS = {"\u202a", "\u202b", "\u202d", "\u202e"}  # LRE RLE LRO RLO, closed by PDF
ISOLATES = {"\u2066", "\u2067", "\u2068"}  # LRI RLI FSI, closed by PDI
POP_EMBEDDING, POP_ISOLATE = "\u202c", "\u2069"
FIRST_STRONG_ISOLATE = "\u2068"


def isolate(text: object) -> str:
    """`text` between FSI and PDI: its own direction, from its first strong letter, and no
    influence on the words around it. For names inside a sentence (messages) and where
    <bdi> cannot go (<option>, <title>, attribute values)."""
    return FIRST_STRONG_ISOLATE + confine(str(text)) + POP_ISOLATE


def confine(text: str) -> str:
    """`text` with every embedding, override and isolate it opens closed at its end."""
    if not any(c in EMBEDDINGS or c in ISOLATES for c in text):
        return text
    stack: list[str] = []
    for char in text:
        if char in EMBEDDINGS or char in ISOLATES:
            stack.append(char)
        elif char == POP_EMBEDDING and stack and stack[-1] in EMBEDDINGS:
            stack.pop()
        elif char == POP_ISOLATE:
            # A PDI closes its isolate and any embedding opened inside it.
            while stack and stack[-1] in EMBEDDINGS:
                stack.pop()
            if stack:
                stack.pop()
    return text + "".join(POP_ISOLATE if c in ISOLATES else POP_EMBEDDING
                          for c in reversed(stack))
