"""The two einsum equations of multi-head attention, for inputs of any rank.

After projection, query, key and value have the axes (batch, <other axes>, heads,
channels), where some of the other axes are the ones attention runs over. Scores pair
every query position with every key position along those axes; all other axes (the
heads included) are carried through, like a batch.
"""

import string


def attention_equations(rank, attention_axes):
    """Einsum equations for projected tensors of ``rank`` axes (batch, <input axes>,
    heads, channels); ``attention_axes`` index the input axes attention runs over.

    Returns (scores equation, combine equation, rank of the scores). The scores are
    (<every axis but attention axes and channels>, <query attention axes>, <key ones>).
    """
    letters = string.ascii_lowercase
    query = letters[:rank]
    key = list(query)
    for n, axis in enumerate(attention_axes):
        key[axis] = letters[rank + n]  # the key's attention axes get their own letters
    key = "".join(key)
    kept = [query[i] for i in range(rank - 1) if i not in attention_axes]
    scores = "".join(kept + [query[i] for i in attention_axes]
                     + [key[i] for i in attention_axes])
    return f"{query},{key}->{scores}", f"{scores},{key}->{query}", len(scores)
