"""all-MiniLM-L6-v2 as an ONNX graph, built from the weights package's tensors.

sentence-transformers runs the model with PyTorch; upstream does not install
PyTorch. Instead this module writes the same computation (a six-layer BERT
encoder, hidden size 384, 12 heads, then mean pooling over the real tokens) as
a standard ONNX graph whose constants are the published weights, and ONNX
Runtime runs it. Nothing is downloaded or converted by another tool: the graph
is built in memory in about a second each time a process loads the model.

The graph takes ``ids`` (int64, batch x tokens) and ``mask`` (float32, 1 for a
real token, 0 for padding) and returns ``pooled`` (float32, batch x 384), the
mean of the last layer over real tokens, before normalising. See
``docs/adr/0010-minilm-on-onnx-runtime.md``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import numpy.typing as npt
import onnx
from onnx import TensorProto, helper, numpy_helper

__all__ = ["HEADS", "HIDDEN", "LAYERS", "minilm_graph"]

LAYERS = 6
HEADS = 12
HIDDEN = 384
_OPSET = 20  # the first with a standard Gelu
_LAYER_NORM_EPS = 1e-12
_BLOCKED = -1e9  # added to padding positions' attention scores: softmax gives them no weight

Array = npt.NDArray[np.float32]


class _Graph:
    """Collects nodes and constants, naming every intermediate result."""

    def __init__(self) -> None:
        self.nodes: list[onnx.NodeProto] = []
        self.constants: list[onnx.TensorProto] = []
        self._count = 0

    def constant(self, name: str, value: npt.ArrayLike, dtype: type = np.float32) -> str:
        array: npt.NDArray[Any] = np.ascontiguousarray(np.asarray(value, dtype=dtype))
        self.constants.append(numpy_helper.from_array(array, name))
        return name

    def op(self, kind: str, *inputs: str, output: str | None = None, **attributes: Any) -> str:
        self._count += 1
        name = output or f"{kind.lower()}_{self._count}"
        self.nodes.append(helper.make_node(kind, list(inputs), [name], **attributes))
        return name


def minilm_graph(weights: Mapping[str, Array]) -> onnx.ModelProto:
    """Build the encoder as an ONNX model whose constants are ``weights``.

    Args:
        weights: The float tensors of ``model.safetensors`` by name
            (``embeddings.word_embeddings.weight``, ``encoder.layer.0...``).

    Returns:
        An ONNX model with inputs ``ids`` and ``mask`` and output ``pooled`` (the
        tests check it with ``onnx.checker``; loading does not repeat that).

    Raises:
        KeyError: If a tensor the architecture needs is missing.
    """
    g = _Graph()
    head_size = HIDDEN // HEADS
    g.constant("word_embeddings", weights["embeddings.word_embeddings.weight"])
    g.constant("position_embeddings", weights["embeddings.position_embeddings.weight"])
    # Every token is segment 0: one row of the token-type table is added everywhere.
    g.constant("segment_embedding", weights["embeddings.token_type_embeddings.weight"][0])
    g.constant("zero", [0], np.int64)
    g.constant("one", [1], np.int64)
    g.constant("two", [2], np.int64)
    g.constant("last_axis", [-1], np.int64)
    g.constant("head_axes", [1, 2], np.int64)
    g.constant("split_heads", [0, 0, HEADS, head_size], np.int64)
    g.constant("join_heads", [0, 0, HIDDEN], np.int64)
    g.constant("score_scale", 1.0 / np.sqrt(head_size))
    g.constant("blocked", _BLOCKED)
    g.constant("unit", 1.0)
    g.constant("tiny", 1e-9)

    def layer_norm(value: str, prefix: str) -> str:
        scale = g.constant(f"{prefix}.weight", weights[f"{prefix}.weight"])
        shift = g.constant(f"{prefix}.bias", weights[f"{prefix}.bias"])
        return g.op("LayerNormalization", value, scale, shift, axis=-1, epsilon=_LAYER_NORM_EPS)

    def linear(value: str, prefix: str) -> str:
        # Stored as (out, in) for x @ W.T; kept transposed so the graph is a plain MatMul.
        matrix = g.constant(f"{prefix}.weight_t", weights[f"{prefix}.weight"].T)
        bias = g.constant(f"{prefix}.bias", weights[f"{prefix}.bias"])
        return g.op("Add", g.op("MatMul", value, matrix), bias)

    width = g.op("Slice", g.op("Shape", "ids"), "one", "two")
    positions = g.op("Slice", "position_embeddings", "zero", width, "zero")
    x = g.op("Add", g.op("Add", g.op("Gather", "word_embeddings", "ids"), positions),
             "segment_embedding")  # fmt: skip
    x = layer_norm(x, "embeddings.LayerNorm")
    padding = g.op("Mul", g.op("Sub", "unit", "mask"), "blocked")
    padding = g.op("Unsqueeze", padding, "head_axes")
    for layer in range(LAYERS):
        p = f"encoder.layer.{layer}."

        def heads(value: str, perm: list[int]) -> str:
            return g.op("Transpose", g.op("Reshape", value, "split_heads"), perm=perm)

        query = heads(linear(x, p + "attention.self.query"), [0, 2, 1, 3])
        key = heads(linear(x, p + "attention.self.key"), [0, 2, 3, 1])
        value = heads(linear(x, p + "attention.self.value"), [0, 2, 1, 3])
        scores = g.op("Add", g.op("Mul", g.op("MatMul", query, key), "score_scale"), padding)
        attention = g.op("MatMul", g.op("Softmax", scores, axis=-1), value)
        context = g.op("Reshape", g.op("Transpose", attention, perm=[0, 2, 1, 3]), "join_heads")
        x = layer_norm(
            g.op("Add", linear(context, p + "attention.output.dense"), x),
            p + "attention.output.LayerNorm",
        )
        # BERT's exact GELU (the erf form), not the tanh approximation.
        inner = g.op("Gelu", linear(x, p + "intermediate.dense"))
        x = layer_norm(g.op("Add", linear(inner, p + "output.dense"), x), p + "output.LayerNorm")
    summed = g.op("ReduceSum", g.op("Mul", x, g.op("Unsqueeze", "mask", "last_axis")), "one",
                  keepdims=0)  # fmt: skip
    tokens = g.op("Max", g.op("ReduceSum", "mask", "one", keepdims=1), "tiny")
    g.op("Div", summed, tokens, output="pooled")
    graph = helper.make_graph(
        g.nodes,
        "all-MiniLM-L6-v2",
        [
            helper.make_tensor_value_info("ids", TensorProto.INT64, ["batch", "tokens"]),
            helper.make_tensor_value_info("mask", TensorProto.FLOAT, ["batch", "tokens"]),
        ],
        [helper.make_tensor_value_info("pooled", TensorProto.FLOAT, ["batch", HIDDEN])],
        g.constants,
    )
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", _OPSET)])
    model.ir_version = 10  # what ONNX Runtime 1.2x reads; make_model's default may be newer
    return model
