"""Service-level time: the tenant's working calendar and deadline arithmetic."""
