"""AchieveApex AI Assistants API: a FeathersJS v5 service."""
