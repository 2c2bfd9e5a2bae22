"""assistant-fake: a stateful, contract-tested fake of two vendors' AI Assistants APIs."""

__version__ = "0.1.0"
