"""Figures written by hand into a blank (a number after ``Số:``, a day after ``ngày``), read by a small
model the project trains itself: ``read_figures(crop) -> FiguresReading`` (``reader``); how the model is
made: ``synth`` (generated training crops) and ``train`` (PyTorch, development only, exports
``model.onnx``)."""

from .reader import FiguresReading, read_figures

__all__ = ["FiguresReading", "read_figures"]
