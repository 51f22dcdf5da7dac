"""Strava's bulk export, split by job: ``reader`` (finding the table and the files, joining
them), ``values`` (numbers, durations and dates in each locale's forms) and ``words``
(the vocabulary, read from the TOML files beside them)."""

from innerpace.importer.exports.strava.reader import read_export

__all__ = ["read_export"]
