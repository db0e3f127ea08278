"""All reference-check cases, registered in the order `--list` and `all` use.

Importing the per-op case modules fills `CASES`; the order of the imports is
the order of the cases.
"""

from case_base import CASES  # noqa: F401  (re-exported)
import cases_attention  # noqa: F401  attention, masked_softmax
import cases_projections  # noqa: F401  qkv_proj, out_proj
import cases_rope  # noqa: F401  rope
import cases_kv_cache  # noqa: F401  kv_append, decode_attention
