"""Phone access, the front: the phone listener's app and guards, the "Pair a phone" page on the
computer, and the listener that runs beside the 127.0.0.1 app."""
