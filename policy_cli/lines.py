"""Lines and columns of offsets into a text."""

from __future__ import annotations

import bisect
import re

_LONE_CR = re.compile(r"\r(?!\n)")


class LineIndex:
    """1-based line and column of a document offset. A line ends at \\n, \\r\\n, or a lone \\r (old
    Mac files): a file with \\r line breaks does not put every finding on line 1."""

    def __init__(self, text: str):
        starts = [0]
        position = text.find("\n")
        while position != -1:
            starts.append(position + 1)
            position = text.find("\n", position + 1)
        if "\r" in text:
            lone = [match.end() for match in _LONE_CR.finditer(text)]
            if lone:
                starts = sorted(starts + lone)
        self.starts = starts

    def locate(self, offset: int) -> tuple[int, int]:
        line = bisect.bisect_right(self.starts, offset)
        return line, offset - self.starts[line - 1] + 1
