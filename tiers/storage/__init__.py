"""Storage: saved analyses in a real database (SQLite by default, PostgreSQL for a team).

No Streamlit here: the UI calls `Store`, and so does the CLI's `workspace` command.
"""
