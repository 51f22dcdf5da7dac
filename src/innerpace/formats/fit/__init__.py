"""FIT activity files: a fast column-wise decoder and the runs it holds.

``decode_fit`` gives every message type as columns of converted values; ``parse_fit`` gives one
:class:`~innerpace.domain.activity.Run` per session. Both raise only ``ParseError``.
"""

from innerpace.formats.fit.activity import Feeling, FitActivities, NotAnActivity
from innerpace.formats.fit.messages import FitFile, MessageTable
from innerpace.formats.fit.reading import decode_fit, parse_fit

__all__ = [
    "Feeling",
    "FitActivities",
    "FitFile",
    "MessageTable",
    "NotAnActivity",
    "decode_fit",
    "parse_fit",
]
