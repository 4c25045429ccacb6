"""Placeholder until scripts/regen.sh runs."""
