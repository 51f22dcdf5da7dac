"""A seeded, deterministic demo journal: one runner's year, for tests, the demo and benchmarks.

``generate`` builds pure domain objects; ``seed_store`` writes them into a store.
"""

from innerpace.demo.journal import DemoJournal, OnRun, generate
from innerpace.demo.seed import seed_store, write_journal

__all__ = ["DemoJournal", "OnRun", "generate", "seed_store", "write_journal"]
