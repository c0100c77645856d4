"""Reporters: each takes results and a stream and writes; none decides an exit code."""
