"""Teaching material shared by the terminal demo and (later) the browser app."""

__all__ = []
