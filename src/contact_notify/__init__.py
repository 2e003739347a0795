"""contact-notify: tell the people debt collectors called that it is not their debt."""

__version__ = "0.1.0"
