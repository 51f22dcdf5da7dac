"""Apple Health's export, split by job: ``reader`` (finding ``export.xml`` by its content,
streaming it, joining routes), ``values`` (times, time zones, quantities) and ``words``
(workout types by sport, read from ``sports.toml``)."""

from innerpace.importer.exports.apple.reader import read_export

__all__ = ["read_export"]
