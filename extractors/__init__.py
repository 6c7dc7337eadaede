"""Pure functions: bytes, HTML or text in; records out. No network, no database."""
