"""Shared plumbing: configuration, database, tenant scoping, extensions, CLI."""
