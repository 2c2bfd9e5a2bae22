"""assistant-fake: a stateful, contract-tested fake of the Telnyx and AchieveApex AI Assistants APIs."""

__version__ = "0.1.0"
