"""Reusable UI pieces. They call services, never the database."""
