"""Candidate keys and verification for near-duplicate texts.

Two kinds of candidate key lead to the same exact check:
- MinHash LSH band keys (64 permutations, 16 bands of 4 rows: pairs with Jaccard above ~0.5
  collide in at least one band with high probability) find re-headlined and re-led copies;
- content-defined anchors (shingles whose hash is 0 modulo a small number, denser in the lead)
  find a teaser or a trimmed copy inside a much longer source, where Jaccard is tiny but
  containment is high. Any two texts sharing a passage share its anchors, whatever else they
  contain, which is what MinHash over whole texts cannot promise.
Candidates are verified by containment: the share of the shorter text's shingles found in the
longer one. A long official quote shared by two different stories is a small share of either.
"""

from __future__ import annotations

import zlib

import numpy as np

NUM_PERM = 64
BANDS = 16
ROWS = NUM_PERM // BANDS
LEAD_SHINGLES = 100  # the lead region gets denser anchors: teasers are cut from it
LEAD_ANCHOR_MOD = 4
BODY_ANCHOR_MOD = 16
_MERSENNE = np.uint64((1 << 61) - 1)
_MASK32 = np.uint64(0xFFFFFFFF)
_SHIFT61 = np.uint64(61)
MINHASH_ROWS = 512  # shingles per block: 512 x 64 uint64 values, 256 KB


def _permutations() -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.RandomState(1)  # fixed: keys must be identical in every process, forever
    a = rng.randint(1, (1 << 31) - 1, size=NUM_PERM, dtype=np.int64).astype(np.uint64)
    b = rng.randint(0, (1 << 31) - 1, size=NUM_PERM, dtype=np.int64).astype(np.uint64)
    return a, b


_PERM_A, _PERM_B = _permutations()


def shingle_array(shingles: list[int] | tuple[int, ...]) -> np.ndarray:
    """Sorted unique shingle hashes as uint32 (what `np.unique` gives: numpy 2's hash-based
    unique costs three times a sort and one comparison of neighbours on these sizes)."""
    values = np.array(shingles, dtype=np.uint32)  # a copy of its own, sorted in place
    values.sort()
    first = np.empty(values.size, dtype=bool)
    first[:1] = True
    np.not_equal(values[1:], values[:-1], out=first[1:])
    unique: np.ndarray = values[first]
    return unique


def minhash(unique_shingles: np.ndarray) -> np.ndarray:
    """A NUM_PERM MinHash signature (uint32) of a non-empty shingle set:
    min over the set of ((value * a + b) mod (2**61 - 1)) & 0xFFFFFFFF, per permutation.

    Computed MINHASH_ROWS shingles at a time, the minimum carried over: the block's arrays
    stay in the processor's cache, which makes large sets two to three times cheaper."""
    signature = _minhash_block(unique_shingles[:MINHASH_ROWS])
    for start in range(MINHASH_ROWS, unique_shingles.size, MINHASH_ROWS):
        block = _minhash_block(unique_shingles[start:start + MINHASH_ROWS])
        np.minimum(signature, block, out=signature)
    return signature


def _minhash_block(unique_shingles: np.ndarray) -> np.ndarray:
    # uint64 products wrap silently; the family stays a good hash family (as in datasketch)
    hashed = np.multiply(unique_shingles.astype(np.uint64)[:, None], _PERM_A[None, :])
    hashed += _PERM_B
    # x mod p for p = 2**61 - 1 without a division (a third less CPU than `%`): 2**61 is 1
    # mod p, so x = high * 2**61 + low is high + low mod p, and high + low <= p + 7; one
    # subtraction of p where it is >= p (where it is not, the subtraction wraps to a larger
    # number and the minimum keeps the sum) gives exactly x % p for every uint64 x.
    folded = hashed & _MERSENNE
    hashed >>= _SHIFT61
    folded += hashed
    np.subtract(folded, _MERSENNE, out=hashed)
    np.minimum(folded, hashed, out=folded)
    folded &= _MASK32
    signature: np.ndarray = folded.min(axis=0).astype(np.uint32)
    return signature


def minhash_by_division(unique_shingles: np.ndarray) -> np.ndarray:
    """The definition `minhash` computes, with `%`: kept for the tests that pin the two."""
    values = unique_shingles.astype(np.uint64)[:, None]
    hashed = ((values * _PERM_A[None, :] + _PERM_B[None, :]) % _MERSENNE) & _MASK32
    signature: np.ndarray = hashed.min(axis=0).astype(np.uint32)
    return signature


def band_keys(signature: np.ndarray) -> list[int]:
    """One key per band, >= 2**32 so it never equals an anchor key."""
    keys = []
    for band in range(BANDS):
        chunk = signature[band * ROWS : (band + 1) * ROWS].tobytes()
        keys.append(((band + 1) << 32) | zlib.crc32(chunk))
    return keys


def anchor_keys(ordered_shingles: list[int]) -> list[int]:
    """Content-defined anchors: dense in the first LEAD_SHINGLES shingles, sparse after."""
    anchors = {h for h in ordered_shingles[:LEAD_SHINGLES] if h % LEAD_ANCHOR_MOD == 0}
    anchors.update(h for h in ordered_shingles[LEAD_SHINGLES:] if h % BODY_ANCHOR_MOD == 0)
    # every sparse anchor (0 mod 16) is also a dense one (0 mod 4), so a passage from deep in
    # a source that a copy moved into its lead still shares the source's sparse anchors
    return sorted(anchors)


def candidate_keys(ordered_shingles: list[int], unique_shingles: np.ndarray) -> list[int]:
    if unique_shingles.size == 0:
        return []
    return band_keys(minhash(unique_shingles)) + anchor_keys(ordered_shingles)


def containment(a: np.ndarray, b: np.ndarray) -> tuple[float, int]:
    """(share of the smaller set found in the other, number of shared shingles)."""
    if a.size == 0 or b.size == 0:
        return 0.0, 0
    shared = int(np.intersect1d(a, b, assume_unique=True).size)
    return shared / min(a.size, b.size), shared
