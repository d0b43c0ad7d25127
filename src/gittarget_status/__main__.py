"""``python -m gittarget_status``: the same as the ``gittarget-status`` command."""

from gittarget_status.cli import main

raise SystemExit(main())
