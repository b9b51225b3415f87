"""Work codes (Damm check digit) and the 2D-code content and symbol."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import Image

from itog.blanks import codes

regions = st.integers(min_value=0, max_value=99)
sessions = st.integers(min_value=0, max_value=99)
serials = st.integers(min_value=1, max_value=9_999_999)
work_codes = st.builds(codes.make_code, regions, sessions, serials)
page_types = st.sampled_from(sorted(codes.PAGE_TYPE_LETTERS))
page_numbers = st.integers(min_value=1, max_value=999)


def test_make_code_layout():
    code = codes.make_code(23, 1, 12345)
    assert len(code) == 12 and code.isdigit()
    assert code[:11] == "23" + "01" + "0012345"
    assert code[11] == codes.check_digit(code[:11])
    assert codes.is_valid(code)
    assert codes.format_code(code) == f"23-01-0012345-{code[11]}"


def test_parse_and_normalize_accept_the_grouped_form():
    code = codes.make_code(7, 42, 9_999_999)
    grouped = codes.format_code(code)
    assert codes.normalize(grouped) == code
    assert codes.normalize(" 07 42 9999999 " + code[-1]) == code
    parsed = codes.parse(grouped)
    assert (parsed.region, parsed.session, parsed.serial) == (7, 42, 9_999_999)
    assert parsed.code == code == str(parsed)


@pytest.mark.parametrize(
    "args", [(100, 1, 1), (-1, 1, 1), (1, 100, 1), (1, 1, 0), (1, 1, 10_000_000), (1.0, 1, 1), (True, 1, 1)]
)
def test_make_code_rejects_out_of_range(args):
    with pytest.raises(ValueError):
        codes.make_code(*args)


@pytest.mark.parametrize(
    "bad", ["", "12345", "2301001234561", "23010012345a", "23-01-0012345", None, 230100123456, "000000000000"]
)
def test_is_valid_rejects_garbage(bad):
    assert not codes.is_valid(bad)  # an int is not a code even when its digits are
    if isinstance(bad, str):
        with pytest.raises(ValueError, match="Неверный код работы"):
            codes.parse(bad)


def test_damm_table_is_a_weakly_totally_antisymmetric_quasigroup():
    """The table property that guarantees the two detection claims, checked exhaustively."""
    table = codes._DAMM
    digits = set(range(10))
    for i in range(10):
        assert set(table[i]) == digits  # rows are permutations
        assert {table[r][i] for r in range(10)} == digits  # columns are permutations
        assert table[i][i] == 0
    for c in range(10):
        for a in range(10):
            for b in range(10):
                if a != b:
                    assert table[table[c][a]][b] != table[table[c][b]][a]


@settings(max_examples=300, deadline=None)
@given(work_codes, st.integers(min_value=0, max_value=11), st.integers(min_value=1, max_value=9))
def test_every_single_digit_error_is_caught(code, position, delta):
    wrong = str((int(code[position]) + delta) % 10)
    damaged = code[:position] + wrong + code[position + 1 :]
    assert damaged != code
    assert not codes.is_valid(damaged)


@settings(max_examples=300, deadline=None)
@given(work_codes, st.integers(min_value=0, max_value=10))
def test_every_adjacent_transposition_is_caught(code, position):
    a, b = code[position], code[position + 1]
    swapped = code[:position] + b + a + code[position + 2 :]
    if a == b:
        assert swapped == code
    else:
        assert not codes.is_valid(swapped)


@settings(max_examples=100, deadline=None)
@given(work_codes)
def test_all_single_errors_and_transpositions_of_one_code(code):
    """Exhaustive over positions and digits for each generated code."""
    for position in range(12):
        for digit in "0123456789":
            if digit != code[position]:
                assert not codes.is_valid(code[:position] + digit + code[position + 1 :])
    for position in range(11):
        a, b = code[position], code[position + 1]
        if a != b:
            assert not codes.is_valid(code[:position] + b + a + code[position + 2 :])


@settings(max_examples=200, deadline=None)
@given(work_codes, page_types, page_numbers)
def test_content_round_trip(code, page_type, page_number):
    content = codes.content_for(code, page_type, page_number)
    assert content == f"ITOG1:{code}:{codes.PAGE_TYPE_LETTERS[page_type]}:{page_number}"
    assert len(content) <= codes.QR_MAX_CHARS
    ref = codes.parse_content(content)
    assert ref == codes.PageRef(code, page_type, page_number)
    assert ref.content == content


@pytest.mark.parametrize(
    "bad",
    [
        "",
        "ITOG2:230100123456:R:1",
        "ITOG1:230100123457:R:1",
        "ITOG1:230100123456:Q:1",
        "ITOG1:230100123456:R:0",
        "ITOG1:230100123456:R:01",
        "ITOG1|230100123456|R|1",
    ],
)
def test_parse_content_rejects_foreign_or_damaged(bad):
    with pytest.raises(ValueError):
        codes.parse_content(bad)


def test_content_for_validates():
    code = codes.make_code(23, 1, 1)
    with pytest.raises(ValueError):
        codes.content_for(code[:-1] + str((int(code[-1]) + 1) % 10), "answer", 1)
    with pytest.raises(ValueError):
        codes.content_for(code, "draft", 1)
    with pytest.raises(ValueError):
        codes.content_for(code, "answer", 1000)


# --- the QR symbol -----------------------------------------------------------------


def _reportlab_matrix(text: str, mask: int) -> list[list[bool]]:
    from reportlab.graphics.barcode import qrencoder

    qr = qrencoder.QRCode(codes.QR_VERSION, qrencoder.QRErrorCorrectLevel.Q)
    qr.addData(qrencoder.QRAlphaNum(text))
    qr.makeImpl(False, mask)
    return [list(row) for row in qr.modules]


def _symbol_image(matrix: list[list[bool]], scale: int = 5, quiet: int = 4) -> Image.Image:
    n = len(matrix)
    img = Image.new("L", (n + 2 * quiet, n + 2 * quiet), 255)
    img.putdata(
        [
            0 if 0 <= r - quiet < n and 0 <= c - quiet < n and matrix[r - quiet][c - quiet] else 255
            for r in range(n + 2 * quiet)
            for c in range(n + 2 * quiet)
        ]
    )
    return img.resize((img.width * scale, img.height * scale), Image.NEAREST)


@settings(max_examples=40, deadline=None)
@given(work_codes, page_types, page_numbers)
def test_qr_matrix_matches_reportlabs_general_encoder(code, page_type, page_number):
    text = codes.content_for(code, page_type, page_number)
    assert codes.qr_matrix(text) == _reportlab_matrix(text, codes.QR_MASK)


@settings(max_examples=60, deadline=None)
@given(work_codes, page_types, page_numbers)
def test_qr_symbol_decodes_with_zxing(code, page_type, page_number):
    import zxingcpp

    text = codes.content_for(code, page_type, page_number)
    matrix = codes.qr_matrix(text)
    assert len(matrix) == codes.QR_SIZE == 25
    found = zxingcpp.read_barcodes(_symbol_image(matrix))
    assert [b.text for b in found] == [text]
    assert found[0].format == zxingcpp.BarcodeFormat.QRCode


def test_qr_matrix_rejects_what_it_cannot_hold():
    with pytest.raises(ValueError):
        codes.qr_matrix("itog1:lowercase")
    with pytest.raises(ValueError):
        codes.qr_matrix("9" * (codes.QR_MAX_CHARS + 1))
    assert codes.qr_matrix("9" * codes.QR_MAX_CHARS)
