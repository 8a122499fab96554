"""The offline engine: an extractive brief with no model and no network."""

from .engine import OfflineEngine

__all__ = ["OfflineEngine"]
