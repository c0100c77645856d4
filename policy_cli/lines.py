"""Lines and columns of offsets into a text."""

from __future__ import annotations

import bisect


class LineIndex:
    """1-based line and column of a document offset."""

    def __init__(self, text: str):
        starts = [0]
        position = text.find("\n")
        while position != -1:
            starts.append(position + 1)
            position = text.find("\n", position + 1)
        self.starts = starts

    def locate(self, offset: int) -> tuple[int, int]:
        line = bisect.bisect_right(self.starts, offset)
        return line, offset - self.starts[line - 1] + 1
