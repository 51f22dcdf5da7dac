"""Whole-account exports: Strava's bulk export, Garmin's account export, Apple Health.

Each reader takes a path and returns the candidates inside it, or None when the path is
not its kind of export; they are tried before a path is walked as plain files.
"""

from innerpace.importer.exports import apple, garmin, strava

READERS = [strava.read_export, garmin.read_export, apple.read_export]

__all__ = ["READERS"]
