"""Bounds that keep a hostile or broken file from exhausting memory or time."""

MAX_FILE_BYTES = 256 * 1024 * 1024  # one activity file, after decompression
MAX_MEMBER_RATIO = 200  # uncompressed / compressed size of one archive member
MAX_ARCHIVE_DEPTH = 4  # zip inside zip inside …
MAX_ARCHIVE_MEMBERS = 200_000
