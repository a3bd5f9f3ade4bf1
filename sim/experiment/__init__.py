"""Running many scenarios and storing their results."""
