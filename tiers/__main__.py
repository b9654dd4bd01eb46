"""`python -m tiers`: the command line. Exits without tearing down a million-row heap object by object."""

import os
import sys

from tiers.cli import main

code = main()
sys.stdout.flush()
sys.stderr.flush()
os._exit(code)
