"""Run the command line with `python -m guidegen`."""

import sys

from guidegen.cli import main

sys.exit(main())
