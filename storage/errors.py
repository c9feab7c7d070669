"""Errors the archive raises, each with a message a user can act on (the CLI prints it as is)."""

from __future__ import annotations


class StorageError(Exception):
    """Base class: something about the archive's environment or input is wrong."""


class DatabaseUnavailable(StorageError):
    """The database cannot be reached. The message names the URL without its password."""


class SchemaNotReady(StorageError):
    """The database has no nianbao schema, or an older one: `nianbao db upgrade` fixes it."""


class DatabaseLocaleError(StorageError):
    """A PostgreSQL database whose LC_CTYPE or encoding is not UTF-8: Chinese search cannot work."""


class DataDirNotWritable(StorageError):
    """The data directory (blobs, WARC files) cannot be written."""


class InputRejected(StorageError):
    """One input file cannot be archived (unreadable, empty, too large, not a file)."""


class FileTooLarge(InputRejected):
    """A file or response body is larger than `Settings.max_file_bytes`."""
