#!/usr/bin/env bash
# Set up and open the Tierscope dashboard on the bundled sample roster (http://localhost:8501).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh requirements.txt
exec .venv/bin/streamlit run app.py "$@"
