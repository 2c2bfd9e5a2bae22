"""Telnyx AI Assistants (``/v2/ai/assistants...``): FastAPI behind Telnyx's API gateway."""
