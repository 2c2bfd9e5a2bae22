"""Property-based contract suites (Schemathesis) that check the fake or a real service."""
