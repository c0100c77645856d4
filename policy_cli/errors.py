"""The one exception family the core raises; the CLI turns it into a message and an exit code."""


class PolicyError(Exception):
    """Base of every error the analyzer reports to a user."""

    code = "error"


class InputError(PolicyError):
    """An input could not be read or holds no analyzable text."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code


class TaxonomyError(PolicyError):
    """A rule file is malformed; the message names the file, rule and field."""

    code = "taxonomy"


class UsageError(PolicyError):
    """The command line or a configuration value is wrong."""

    code = "usage"
