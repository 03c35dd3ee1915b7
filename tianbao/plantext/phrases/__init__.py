"""Read the targets out of one paragraph of a plan's goals or measures.

The plans state their targets in a small set of regular phrasings (see docs/catalogue-format.md);
this module knows those phrasings — never any particular plan's sentences.  Input is a
:class:`Span`: a paragraph's text with whitespace removed and, for every character, the line it
came from.  Output: :class:`Found` targets (one per indicator and target), each with its quote and
line and the flags a reviewer must look at, plus notes on numbers left out.

This package only hands on the names of its parts: spans, numbers, names (comparators, indicator
names, the result types), forms (the special phrasings), sentences, clause (one clause between
commas), naming (names for a clause's values).
"""

from tianbao.plantext.phrases.names import (
    MEASURE_HEADS,
    SUFFIXES,
    VERBS,
    YEAR_RE,
    Context,
    Found,
    LeftOut,
    clean_name,
    complete_names,
    split_names,
)
from tianbao.plantext.phrases.numbers import COUNT_UNITS, VALUE_RE, Value, cn_number, find_values
from tianbao.plantext.phrases.sentences import parse_paragraph
from tianbao.plantext.phrases.spans import Span, normalise

__all__ = [
    "COUNT_UNITS",
    "Context",
    "Found",
    "LeftOut",
    "MEASURE_HEADS",
    "SUFFIXES",
    "Span",
    "VALUE_RE",
    "VERBS",
    "Value",
    "YEAR_RE",
    "clean_name",
    "cn_number",
    "complete_names",
    "find_values",
    "normalise",
    "parse_paragraph",
    "split_names",
]
