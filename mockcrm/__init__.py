"""mockcrm: a local emulator of Zoho CRM v8 workflow-automation APIs."""

from mockcrm.app import create_app

__version__ = "0.1.0"
__all__ = ["__version__", "create_app"]
