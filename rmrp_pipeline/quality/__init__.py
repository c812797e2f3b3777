"""The quality rules of every source (id, severity, messages) and the issue rows they produce."""
