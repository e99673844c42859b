"""Printed sentences that wrap between words, in JupyterLab as in a terminal.

JupyterLab breaks a long line of stream output wherever the output area ends, in the
middle of a word or a number. The lessons print their readings and takeaways through
:func:`print_prose`, which wraps them at word boundaries first.
"""

from __future__ import annotations

import textwrap

WIDTH = 88
"""Characters per line: fits a JupyterLab notebook beside its file browser."""


def print_prose(*values, sep: str = " ", end: str = "\n", width: int = WIDTH) -> None:
    """Print like :func:`print`, wrapping each line longer than ``width`` between words.

    Lines of ``width`` characters or fewer (tables, aligned columns) are printed unchanged;
    a word longer than a line is never split. Continuation lines keep the line's own indent
    plus two spaces, so that a wrapped sentence reads as one item.

    Parameters
    ----------
    *values
        What to print, joined by ``sep`` as :func:`print` does.
    sep, end : str
        As for :func:`print`.
    width : int
        Longest line, in characters.

    Examples
    --------
    >>> print_prose("Takeaway: " + "word " * 20, width=40)
    Takeaway: word word word word word word
      word word word word word word word
      word word word word word word word
    >>> print_prose("- " + "item " * 9, width=20)
    - item item item
      item item item
      item item item
    """
    text = sep.join(map(str, values))
    lines = [
        textwrap.fill(line, width=width, subsequent_indent=line[: len(line) - len(line.lstrip())] + "  ",
                      break_long_words=False, break_on_hyphens=False)
        if len(line) > width else line
        for line in text.split("\n")
    ]
    print("\n".join(lines), end=end)


def significant(x: float, digits: int = 3) -> str:
    """``x`` with ``digits`` significant digits, written out without an exponent.

    For scores and thresholds that span several orders of magnitude, where a fixed number
    of decimals prints a small one as zero.

    Examples
    --------
    >>> significant(0.04467), significant(0.0054123), significant(0.0000312)
    ('0.0447', '0.00541', '0.0000312')
    """
    import numpy as np  # numpy formats significant digits without switching to 1e-05 notation

    return np.format_float_positional(x, precision=digits, fractional=False, trim="-")
