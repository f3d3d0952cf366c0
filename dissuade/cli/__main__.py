"""`python -m dissuade.cli ...`: the same as the `dissuade` command."""

import sys

from dissuade.cli.main import main

sys.exit(main())
