"""The radar command line."""
