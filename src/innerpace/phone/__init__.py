"""Phone access over the home network: the listener's own certificate authority, pairing codes
and device keys, and the rules for keeping what a phone sends exactly once.

No front end here: the Starlette app for the phone listener lives in ``innerpace.web.phone``.
"""
