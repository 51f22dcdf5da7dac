"""Use-cases that both front ends call. No SQL here (that is the store), no HTTP, no terminal."""

from innerpace.services.journal import ON_FOOT, Journal, RunDetail, RunListing

__all__ = ["ON_FOOT", "Journal", "RunDetail", "RunListing"]
