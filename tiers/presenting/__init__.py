"""Presenting: charts, the client story, translations and the files handed to a client."""
