"""Many names (tool names, story titles, taglines) asked `name_rank`'s questions without a Python loop over them.

Each palette keystroke asks of every name: is it the query, does it start with it, does a word of it start
with it, does it contain it, does it hold its letters in order. Asked row by row in Python, that costs
~100 ms at 500,000 titles; even one C-speed `bytes.find` over all of them costs ~15 ms. So the answers come
from structures built once per index, and cost what matches rather than what is there:

- `text`: the lower-cased names as UTF-8 joined by NUL, `starts` each row's offset in it;
- `words`: every distinct word (split on `SEPARATORS`, as `starts_a_word` splits), sorted, and `postings`:
  for each word in that order the rows holding it, in row order, in one array (`word_ends` cuts it). The
  words starting with the query are a bisected range, so the rows with such a word are one slice of
  `postings`; the words containing it are found in `joined_words`, the vocabulary joined (far shorter
  than `text`: words repeat);
- `by_first_word`: the rows in the order of their first word, so the names starting with the query are
  the rows of one range of words.

A query without a separator lies inside one word, so the words answer for it exactly. A query with one
("open source", "node.js") is looked up by its rarest piece and each candidate row checked by the plain rule.
Where a query is in so many words or rows that its rows are dense ("e"), `text` is scanned in row order
instead, which stops after the first few rows. Letters in order: each row's letters as bits rule out, in
one vectorised test, the rows missing one; the rest meet a regular expression that cannot backtrack (each
letter's gap is an atomic group). Every answer is what `name_rank` says row by row
(`tests/test_name_index.py` holds them to it, on each of these paths).

Rows are UTF-8 bytes rather than one `str`: a single emoji would make a joined `str` four bytes per
character. NUL joins them because a name cannot hold one in practice (PostgreSQL's text refuses it, XML
feeds cannot carry it); a row that holds one anyway (SQLite stores anything) is kept aside in `odd` and
asked the plain rule, so every answer stays exact.

One module though it runs past 300 lines: the structures and the questions they answer are one job; each
question reads several structures' internals, so split in two, each half would reach into the other.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections import defaultdict
from collections.abc import Callable, Collection, Sequence
from itertools import count, islice

import numpy as np
import numpy.typing as npt

from .name_rank import SEPARATORS, letters_in_order, starts_a_word

_NUL = b"\x00"
_TO_SPACE = bytes.maketrans(SEPARATORS.encode(), b" " * len(SEPARATORS))
_SEPARATOR_RUNS = re.compile(b"[" + re.escape(SEPARATORS.encode()) + b"]+")
_AFTER_EVERY_BYTE = b"\xff"  # no UTF-8 byte: every name starting with `q` sorts before `q + b"\xff"`
# Past this many words holding the query, its rows are dense: scanning `text` in row order finds the first
# few sooner than gathering every word's rows.
DENSE_WORDS = 500
# A candidate row costs a Python check (~1 µs), a scanned row ~30 ns of `bytes.find`: past one candidate in
# this many rows, the scan is the cheaper way through them.
DENSE_CANDIDATES = 32
_CHUNK_ROWS = 20_000  # rows split (or tested for letters) at once: bounds the short-lived objects

Rows = npt.NDArray[np.uint32]


def _letter_bits() -> npt.NDArray[np.uint64]:
    """A bit per byte value: its own for each letter and digit, the rest sharing the other 28."""
    bits = np.zeros(256, np.uint64)
    for byte in range(256):
        char = chr(byte)
        place = (ord(char) - ord("a") if "a" <= char <= "z" else 26 + ord(char) - ord("0") if "0" <= char <= "9"
                 else 36 + byte % 28)
        bits[byte] = np.uint64(1) << np.uint64(place)
    return bits


_LETTER_BITS = _letter_bits()


def _utf8(text: str) -> bytes:
    # surrogatepass: a query may carry a lone surrogate (JSON allows one); it is still one code point.
    return text.encode("utf-8", "surrogatepass")


class NameIndex:
    """Lower-cased names, row by row, each question answered with the first `k` rows (in row order) that
    match it and are not in `exclude`: the caller walks the tiers and knows what it already holds."""

    __slots__ = ("by_first_word", "first_word_ends", "joined_words", "letter_bits", "odd", "postings", "starts",
                 "text", "word_ends", "word_starts", "words")

    def __init__(self, names: Sequence[str]) -> None:
        joined = "\x00".join(names)
        self.odd: dict[int, str] = {}  # row → name, for the names holding NUL
        if joined.count("\x00") > max(len(names) - 1, 0):
            self.odd = {row: name for row, name in enumerate(names) if "\x00" in name}
            joined = "\x00".join("" if row in self.odd else name for row, name in enumerate(names))
        self.text = _NUL + _utf8(joined) + _NUL
        del joined  # the peak while building: copies of `text` are dropped as soon as they are read
        # Row r is text[starts[r]:starts[r + 1] - 1]: one past each NUL.
        self.starts: npt.NDArray[np.int64] = np.flatnonzero(np.frombuffer(self.text, np.uint8) == 0) + 1
        if not names:
            self.starts = self.starts[:1]
        self.words: list[bytes] = []
        self.postings: Rows = np.zeros(0, np.uint32)
        self.word_ends: npt.NDArray[np.int64] = np.zeros(0, np.int64)
        self.by_first_word: Rows = np.zeros(0, np.uint32)
        self.first_word_ends: npt.NDArray[np.int64] = np.zeros(0, np.int64)
        if names:
            self._index_words(len(names))
        self.joined_words = _NUL + _NUL.join(self.words) + _NUL
        self.word_starts = np.cumsum([1] + [len(word) + 1 for word in self.words], dtype=np.int64)
        self.letter_bits: npt.NDArray[np.uint64] | None = None

    def _index_words(self, size: int) -> None:
        """`words`, `postings` and each row's first word, in chunks of rows: each chunk's words are split and
        numbered at C speed (`bytes.split`, `map` over a dict that numbers new words), so Python never loops
        over single words."""
        numbers: defaultdict[bytes, int] = defaultdict(count().__next__)  # a new word takes the next number
        word_chunks: list[Rows] = []
        row_chunks: list[Rows] = []
        first_chunks: list[Rows] = []
        translated = self.text.translate(_TO_SPACE)
        for begin in range(0, size, _CHUNK_ROWS):
            end = min(begin + _CHUNK_ROWS, size)
            lo, hi = int(self.starts[begin]), int(self.starts[end]) - 1
            segment = translated[lo:hi]  # the chunk's rows, NUL between them
            spaces = np.concatenate(([0], np.cumsum(np.frombuffer(segment, np.uint8) == ord(" "))))
            sizes = spaces[self.starts[begin + 1:end + 1] - 1 - lo] - spaces[self.starts[begin:end] - lo] + 1
            split = segment.replace(_NUL, b" ").split(b" ")  # each row's words (and blanks) in turn
            numbered = np.fromiter(map(numbers.__getitem__, split), np.uint32, len(split))
            word_chunks.append(numbered)
            row_chunks.append(np.repeat(np.arange(begin, end, dtype=np.uint32), sizes))
            first_chunks.append(numbered[np.cumsum(sizes) - sizes])
        del translated
        self.words = sorted(numbers)
        rank = np.zeros(len(numbers), np.uint32)  # first-seen number → place in `words`
        rank[np.fromiter(map(numbers.__getitem__, self.words), np.int64, len(self.words))] = np.arange(
            len(self.words), dtype=np.uint32)
        words = rank[np.concatenate(word_chunks)]
        rows = np.concatenate(row_chunks)
        word_chunks.clear()
        row_chunks.clear()
        order = np.argsort(words, kind="stable")  # by word, then row (rows were in order)
        words, rows = words[order], rows[order]
        del order
        kept = np.ones(len(words), bool)
        kept[1:] = (words[1:] != words[:-1]) | (rows[1:] != rows[:-1])  # a word twice in one name counts once
        if self.words[0] == b"":  # what stands between two separators is no word
            kept &= words != 0
        self.postings = rows[kept]
        self.word_ends = np.cumsum(np.bincount(words[kept], minlength=len(self.words)), dtype=np.int64)
        first = rank[np.concatenate(first_chunks)]
        self.by_first_word = np.argsort(first, kind="stable").astype(np.uint32)
        self.first_word_ends = np.cumsum(np.bincount(first, minlength=len(self.words)), dtype=np.int64)

    def __len__(self) -> int:
        return len(self.starts) - 1

    def name(self, row: int) -> bytes:
        return self.text[self.starts[row]:self.starts[row + 1] - 1]

    def _letters(self) -> npt.NDArray[np.uint64]:
        """Each row's letter bits (`_LETTER_BITS` of its bytes), made on first use: only names asked for
        letters in order (tools, categories) pay for them."""
        if self.letter_bits is None:
            self.letter_bits = np.bitwise_or.reduceat(_LETTER_BITS[np.frombuffer(self.text, np.uint8)],
                                                      self.starts[:-1]) if len(self) else np.zeros(0, np.uint64)
        return self.letter_bits

    def _row_at(self, offset: int) -> int:
        """The row whose name holds this offset of `text`."""
        return int(np.searchsorted(self.starts, offset, "right")) - 1

    def _lengths(self, rows: Rows) -> npt.NDArray[np.int64]:
        return self.starts[rows + 1] - self.starts[rows] - 1

    # The questions, one per tier of `name_rank.rank_name`.

    def starting(self, query: str, k: int) -> tuple[list[int], list[int]]:
        """(the first `k` rows whose name is `query`, the first `k` whose name starts with it and is longer).

        A name starts with `query` only if its first word starts with the query's first piece (the whole
        query when it has no separator), so the rows to look at are one range of `by_first_word`."""
        if k <= 0 or not query:
            return [], []
        exact: list[int] = []
        longer: list[int] = []
        if "\x00" not in query:
            q = _utf8(query)
            first = _SEPARATOR_RUNS.split(q, maxsplit=1)[0]
            if first == q:  # no separator: every name whose first word starts with it
                lo, hi = self._words_starting(q)
                rows = self.by_first_word[self._first_ends(lo):self._first_ends(hi)]
            else:  # the first word is that piece (empty: the name starts with a separator), then the rest
                word = bisect_left(self.words, first)
                rows = self.by_first_word[:0]
                if word < len(self.words) and self.words[word] == first:
                    rows = self.by_first_word[self._first_ends(word):self._first_ends(word + 1)]
                rows = rows[self._lengths(rows) >= len(q)]
                text = np.frombuffer(self.text, np.uint8)
                for at in range(len(first), len(q)):  # byte by byte: the rows left shrink fast
                    if not len(rows):
                        break
                    rows = rows[text[self.starts[rows] + at] == q[at]]
            lengths = self._lengths(rows)
            exact, longer = _smallest(rows[lengths == len(q)], k), _smallest(rows[lengths > len(q)], k)
        return (self._with_odd(exact, k, (), lambda name: name == query),
                self._with_odd(longer, k, (), lambda name: name != query and name.startswith(query)))

    def word_starting(self, query: str, k: int, exclude: Collection[int]) -> list[int]:
        """The first `k` rows whose name contains `query` with a word of it starting with `query`
        (`name_rank.starts_a_word`)."""
        if k <= 0 or not query:
            return []
        rows: list[int] = []
        q = _utf8(query)
        # Separators read as spaces in the name but not in the query: any other separator in it never matches.
        if "\x00" not in query and not _SEPARATOR_RUNS.search(q.replace(b" ", b"")):
            spaced = b" " + q
            if b" " not in q:
                begin, end = (self._ends(word) for word in self._words_starting(q))
                rows = (self._scan(q, k, exclude, lambda name: spaced in (b" " + name).translate(_TO_SPACE))
                        if self._dense(end - begin) else self._first_rows(self.postings[begin:end], k, exclude))
            else:
                rows = self._checked(q, k, exclude,
                                     lambda name: q in name and spaced in (b" " + name).translate(_TO_SPACE))
        return self._with_odd(rows, k, exclude, lambda name: query in name and starts_a_word(name, query))

    def containing(self, query: str, k: int, exclude: Collection[int]) -> list[int]:
        """The first `k` rows whose name contains `query`."""
        if k <= 0 or not query:
            return []
        rows: list[int] = []
        if "\x00" not in query:
            q = _utf8(query)
            if not _SEPARATOR_RUNS.search(q):
                words = self._words_holding(q)
                rows = (self._scan(q, k, exclude) if words is None or self._dense(self._count(words))
                        else self._first_rows(self._postings_of(words), k, exclude))
            else:
                rows = self._checked(q, k, exclude, lambda name: q in name)
        return self._with_odd(rows, k, exclude, lambda name: query in name)

    def in_order(self, query: str, k: int, exclude: Collection[int]) -> list[int]:
        """The first `k` rows holding the letters of `query` (blank space aside) in its order
        (`name_rank.letters_in_order`); none for a query without letters.

        Only the rows holding every letter in any order (one vectorised test of each row's letter bits) are
        matched against a regular expression: a regular expression over all of `text` reads ~75 MB/s."""
        letters = [_utf8(ch) for ch in query if not ch.isspace()]
        if k <= 0 or not letters:
            return []
        rows: list[int] = []
        if "\x00" not in query:
            # Each gap is the shortest run up to the letter, in an atomic group: the first place of each
            # letter, as `letters_in_order` takes it, and never another (no backtracking, linear in the name).
            pattern = re.compile(_NUL + b"".join(b"(?>[^\x00]*?" + re.escape(ch) + b")" for ch in letters))
            wanted = np.bitwise_or.reduce(_LETTER_BITS[np.frombuffer(b"".join(letters), np.uint8)])
            bits = self._letters()
            for begin in range(0, len(bits), _CHUNK_ROWS):  # in chunks: the first few rows often suffice
                chunk = bits[begin:begin + _CHUNK_ROWS]
                for row in (np.flatnonzero((chunk & wanted) == wanted) + begin).tolist():
                    if row not in exclude and pattern.match(self.text, self.starts[row] - 1):
                        rows.append(row)
                        if len(rows) >= k:
                            break
                if len(rows) >= k:
                    break
        return self._with_odd(rows, k, exclude, lambda name: letters_in_order(name, query))

    # How they find their rows.

    def _ends(self, word: int) -> int:
        """Where the rows of the words before `word` end in `postings`."""
        return int(self.word_ends[word - 1]) if word > 0 else 0

    def _first_ends(self, word: int) -> int:
        """Where the rows whose first word comes before `word` end in `by_first_word`."""
        return int(self.first_word_ends[word - 1]) if word > 0 else 0

    def _words_starting(self, piece: bytes) -> tuple[int, int]:
        """The range of `words` starting with `piece`."""
        lo = bisect_left(self.words, piece)
        return lo, bisect_left(self.words, piece + _AFTER_EVERY_BYTE, lo=lo)

    def _words_holding(self, find: bytes) -> Rows | None:
        """The words where `find` occurs (a piece followed by NUL: the words ending with it), or None past
        `DENSE_WORDS` places."""
        places = [m.start() for m in islice(re.finditer(re.escape(find), self.joined_words), DENSE_WORDS + 1)]
        if len(places) > DENSE_WORDS:
            return None
        return _distinct((np.searchsorted(self.word_starts, places, "right") - 1).astype(np.uint32))

    def _dense(self, count: int) -> bool:
        """Whether `count` candidates are so many that scanning `text` in row order is the cheaper way to
        the first rows (they are then near its start, unless the table is very lopsided)."""
        return count * DENSE_CANDIDATES > len(self)

    def _spans(self, words: Rows) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]:
        """Where each of these words' rows begin in `postings`, and how many there are."""
        ends = self.word_ends[words]
        begins = np.where(words > 0, self.word_ends[words.astype(np.int64) - 1], 0)
        return begins, ends - begins

    def _count(self, words: Rows) -> int:
        return int(self._spans(words)[1].sum())

    def _postings_of(self, words: Rows) -> Rows:
        """The rows of these words, concatenated (a row in several of them comes several times)."""
        begins, counts = self._spans(words)
        offsets = np.repeat(begins - (np.cumsum(counts) - counts), counts) + np.arange(int(counts.sum()))
        return self.postings[offsets]

    def _first_rows(self, rows: Rows, k: int, exclude: Collection[int]) -> list[int]:
        """The `k` smallest distinct rows of `rows` not in `exclude`, without sorting all of them: the
        `m` smallest values (repeats included) hold every distinct value up to the largest of them."""
        wanted = k + len(exclude)
        while True:
            if wanted >= len(rows):
                return [r for r in _distinct(rows).tolist() if r not in exclude][:k]
            found = [r for r in _distinct(np.partition(rows, wanted)[:wanted + 1]).tolist() if r not in exclude]
            if len(found) >= k:
                return found[:k]
            wanted *= 4

    def _candidates(self, q: bytes) -> Rows | None:
        """The rows that can contain `q`, a query holding separators, from its rarest piece: a piece between
        separators is a whole word of the name, the last one starts a word, the first one ends a word.
        None when they are dense, or no piece narrows them (a query of separators alone)."""
        first, *middle, last = _SEPARATOR_RUNS.split(q)
        spans: list[tuple[int, int]] = []
        for piece in middle:
            word = bisect_left(self.words, piece)
            if word == len(self.words) or self.words[word] != piece:
                return self.postings[:0]
            spans.append((self._ends(word), self._ends(word + 1)))
        if last:
            lo, hi = self._words_starting(last)
            spans.append((self._ends(lo), self._ends(hi)))
        if spans:
            begin, end = min(spans, key=lambda span: span[1] - span[0])
            return None if self._dense(end - begin) else _distinct(self.postings[begin:end])
        words = self._words_holding(first + _NUL) if first else None
        if words is None or self._dense(self._count(words)):
            return None
        return _distinct(self._postings_of(words))

    def _checked(self, q: bytes, k: int, exclude: Collection[int], check: Callable[[bytes], bool]) -> list[int]:
        """The first `k` rows whose name passes `check` (which implies holding `q`): the candidate rows
        each checked, or `text` scanned where they are many."""
        candidates = self._candidates(q)
        if candidates is None:
            return self._scan(q, k, exclude, check)
        rows: list[int] = []
        for row in candidates.tolist():
            if row not in exclude and check(self.name(row)):
                rows.append(row)
                if len(rows) >= k:
                    break
        return rows

    def _scan(self, q: bytes, k: int, exclude: Collection[int],
              check: Callable[[bytes], bool] | None = None) -> list[int]:
        """The first `k` rows holding `q` (and passing `check`), scanning `text` in row order."""
        rows: list[int] = []
        at = self.text.find(q)
        while at >= 0:
            row = self._row_at(at)
            if row not in exclude and (check is None or check(self.name(row))):
                rows.append(row)
                if len(rows) >= k:
                    break
            at = self.text.find(q, self.starts[row + 1])
        return rows

    def _with_odd(self, rows: list[int], k: int, exclude: Collection[int], rule: Callable[[str], bool]) -> list[int]:
        """`rows` with the odd rows that pass the plain `rule`, first `k` in row order."""
        if not self.odd:
            return rows
        odd = [row for row, name in self.odd.items() if row not in exclude and rule(name)]
        return sorted(rows + odd)[:k] if odd else rows


def _distinct(rows: Rows) -> Rows:
    """The distinct values of `rows`, in order (sorting beats `np.unique`'s hashing on these sizes)."""
    rows = np.sort(rows)
    return rows[np.concatenate(([True], rows[1:] != rows[:-1]))] if len(rows) else rows


def _smallest(rows: Rows, k: int) -> list[int]:
    """The `k` smallest of distinct `rows`, in order."""
    if len(rows) > k > 0:
        rows = np.partition(rows, k - 1)[:k]
    return sorted(rows.tolist())[:k] if k > 0 else []
