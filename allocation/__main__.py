"""`python -m allocation ...`: the allocation command line without Django's settings."""

import sys

from allocation.cli import main

sys.exit(main())
