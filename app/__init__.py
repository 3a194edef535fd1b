"""Backprop Lab's web service: a thin FastAPI layer over nncore."""

__version__ = "0.1.0"
