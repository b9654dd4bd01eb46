"""Reading: bytes of a roster file -> raw cells -> the validated Roster."""
