"""The verify stage: is every quote in the article, and does each statement say what
its quote says?"""

from .grounding import ground

__all__ = ["ground"]
