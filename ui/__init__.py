"""The Streamlit shell around tiers/: session state, caching and shared page furniture."""
