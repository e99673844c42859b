"""Integrity signals for the instructor: submissions worth a look, never a penalty.

* **Typed answers**: an answer variable assigned a bare literal (``threshold = 0.31``) in a
  cell that computes nothing else: the number may have been copied from somewhere.
* **Similar code**: the code a learner added to the template is nearly the same, token for
  token, as another learner's or as the published solution's (the pair and the score).

Untouched templates are flagged by the report itself (:func:`aipm_lab.grading.report.untouched_template`).

Similarity is the Jaccard index of the two token 5-gram sets (the shingles MOSS-style
detectors fingerprint), with tokens from Python's own :mod:`tokenize`, comments and layout
dropped: about twenty lines here, where a detector package (copydetect) wants files on disk
and brings an HTML report engine.
"""

from __future__ import annotations

import ast
import hashlib
import io
import re
import tokenize
from dataclasses import dataclass
from itertools import combinations

SIMILAR = 0.8
"""Similarity from which two submissions' code is flagged."""

K = 5
"""Tokens per shingle."""

MIN_TOKENS = 25
"""Added code shorter than this is not compared: a line or two the task dictates is alike in everyone's."""

_SKIP = {tokenize.COMMENT, tokenize.NL, tokenize.NEWLINE, tokenize.INDENT, tokenize.DEDENT, tokenize.ENCODING,
         tokenize.ENDMARKER}


@dataclass(frozen=True)
class IntegrityFlag:
    """One signal: its kind (``typed`` or ``similar``), who, and what was seen."""

    kind: str
    learners: tuple[str, ...]
    detail: str
    score: float = 0.0


def _code(nb) -> list[str]:
    """Sources of the code cells but the parameters cell (a stored source may be a list of lines)."""
    return ["".join(c.source) if isinstance(c.source, list) else c.source for c in nb.cells
            if c.cell_type == "code" and "parameters" not in c.get("metadata", {}).get("tags", [])]


def added_code(nb, template) -> str:
    """The code cells of ``nb`` that are not, verbatim, cells of the ``template`` it started from."""
    given = {s.strip() for s in _code(template)}
    return "\n".join(s for s in _code(nb) if s.strip() not in given)


def code_tokens(code: str) -> list[str]:
    """Python tokens of ``code`` without comments or layout (a rough split where it does not tokenize)."""
    try:
        return [t.string for t in tokenize.generate_tokens(io.StringIO(code).readline) if t.type not in _SKIP]
    except (tokenize.TokenError, SyntaxError, IndentationError):
        return re.findall(r"\w+|[^\w\s]", code)


def shingles(tokens: list[str]) -> set[int]:
    """The token 5-grams of ``tokens``, each as a 64-bit digest (sets of integers compare fast; the same every run)."""
    return {int.from_bytes(hashlib.blake2b("\0".join(tokens[i:i + K]).encode(), digest_size=8).digest(), "big")
            for i in range(len(tokens) - K + 1)}


def token_similarity(a: list[str], b: list[str]) -> float:
    """Jaccard index of the token 5-gram sets of ``a`` and ``b`` (0 when either is too short)."""
    return _jaccard(shingles(a), shingles(b))


def _jaccard(a: set, b: set) -> float:
    return len(a & b) / len(a | b) if a and b else 0.0


def typed_answers(nb, answers: list[str]) -> list[str]:
    """Answer variables assigned a bare literal in a cell whose every statement is such an assignment."""
    found = []
    for source in _code(nb):
        try:
            body = ast.parse(source).body
        except SyntaxError:
            continue
        if not body or not all(isinstance(s, ast.Assign) and _literal(s.value) for s in body):
            continue
        found += [t.id for s in body for t in s.targets if isinstance(t, ast.Name) and t.id in answers]
    return list(dict.fromkeys(found))


def _literal(node) -> bool:
    """Whether ``node`` is a literal other than None (None is the template's "not answered yet")."""
    try:
        return ast.literal_eval(node) is not None
    except (ValueError, TypeError, SyntaxError, MemoryError, RecursionError):
        return False


def integrity_flags(notebooks: dict[str, object], template, solution, answers: list[str]) -> list[Flag]:
    """The signals of one part's submissions, learners by name.

    Parameters
    ----------
    notebooks : dict
        Learner -> their notebook (of this part).
    template, solution
        The part's exercise and solution notebooks.
    answers : list of str
        The part's answer variables.
    """
    found = [IntegrityFlag("typed", (name,), ", ".join(typed)) for name, nb in notebooks.items()
             if (typed := typed_answers(nb, answers))]
    code = {name: code_tokens(added_code(nb, template)) for name, nb in notebooks.items()}
    code = {name: shingles(mine) for name, mine in code.items() if len(mine) >= MIN_TOKENS}
    reference = shingles(code_tokens(added_code(solution, template)))
    for name, mine in code.items():
        score = _jaccard(mine, reference)
        if score >= SIMILAR:
            found.append(IntegrityFlag("similar", (name, "the published solution"), "", round(score, 2)))
    for a, b in combinations(sorted(code), 2):
        score = _jaccard(code[a], code[b])
        if score >= SIMILAR:
            found.append(IntegrityFlag("similar", (a, b), "", round(score, 2)))
    return found
