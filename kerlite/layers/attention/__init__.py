"""Attention layers: Attention, AdditiveAttention, MultiHeadAttention, GroupQueryAttention."""
from kerlite.layers.attention.attention import Attention
from kerlite.layers.attention.additive_attention import AdditiveAttention
from kerlite.layers.attention.grouped_query_attention import (GroupedQueryAttention,
                                                              GroupQueryAttention)
from kerlite.layers.attention.multi_head_attention import MultiHeadAttention
