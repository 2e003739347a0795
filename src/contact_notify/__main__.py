"""Allow ``python -m contact_notify``."""

from contact_notify.cli import main

main()
