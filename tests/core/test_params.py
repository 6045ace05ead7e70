import pytest

from zhengdun.core.params import MAX_INT, parse_id, parse_int


@pytest.mark.parametrize(
    "value", [None, "", "abc", "1e30", "-1", "0", "²", "١٢", "１２", "0x10", " ", str(MAX_INT + 1), "9" * 40]
)
def test_it_reads_anything_but_an_id_as_not_given(value):
    assert parse_id(value) is None


def test_it_reads_ids_up_to_the_largest_bigint():
    assert parse_id("1") == 1
    assert parse_id(f" {MAX_INT} ") == MAX_INT
    assert parse_int("0") == 0
    assert parse_int("2026", low=1, high=9999) == 2026
    assert parse_int("10000", low=1, high=9999) is None
