"""The IKM arithmetic of PermenPAN-RB 14/2017, checked against hand computations."""
from decimal import Decimal
from fractions import Fraction

import pytest

from dinsos.surveys import ikm

KODE = [u.kode for u in ikm.UNSUR_BAKU]


def responden(n: int, total: int) -> list[dict]:
    """n respondents answering all nine elements, scores summing to ``total``.

    The 9n answers get the base score ``total // 9n`` and the first
    ``total % 9n`` of them one more, so each element has n answers.
    """
    sel = 9 * n
    dasar, lebih = divmod(total, sel)
    nilai = [dasar + 1] * lebih + [dasar] * (sel - lebih)
    return [{k: nilai[r * 9 + i] for i, k in enumerate(KODE)} for r in range(n)]


def test_nine_elements_in_the_regulations_order():
    assert [u.nama for u in ikm.UNSUR_BAKU] == [
        "Persyaratan", "Sistem, mekanisme dan prosedur", "Waktu penyelesaian", "Biaya/tarif",
        "Produk spesifikasi jenis pelayanan", "Kompetensi pelaksana", "Perilaku pelaksana",
        "Penanganan pengaduan, saran dan masukan", "Sarana dan prasarana",
    ]
    assert ikm.SKALA == {1: "Tidak sesuai", 2: "Kurang sesuai", 3: "Sesuai", 4: "Sangat sesuai"}


def test_all_fours_is_exactly_100_grade_a():
    h = ikm.hitung([{k: 4 for k in KODE}] * 7, KODE)
    assert h.bobot == {k: Fraction(1, 9) for k in KODE}
    assert h.skm == 4 and h.ikm == Decimal("100.00") and str(h.ikm) == "100.00"
    assert (h.huruf, h.kinerja, h.responden) == ("A", "Sangat Baik", 7)


def test_the_printed_weight_011_would_not_reach_100_and_is_refused():
    # 9 x 0.11 = 0.99: with it all-4 scores 99. Weights must sum to exactly 1.
    with pytest.raises(ikm.BobotTidakValid, match="tepat 1.*99/100"):
        ikm.hitung([{k: 4 for k in KODE}], KODE, {k: "0.11" for k in KODE})


def test_all_ones_is_25_grade_d():
    h = ikm.hitung([{k: 1 for k in KODE}], KODE)
    assert h.ikm == Decimal("25.00") and h.huruf == "D" and h.kinerja == "Tidak Baik"


def test_grade_intervals_are_the_regulations():
    assert [(h, k, str(a), str(b)) for h, k, a, b in ikm.rentang_mutu()] == [
        ("A", "Sangat Baik", "88.31", "100.00"),
        ("B", "Baik", "76.61", "88.30"),
        ("C", "Kurang Baik", "65.00", "76.60"),
        ("D", "Tidak Baik", "25.00", "64.99"),
    ]


@pytest.mark.parametrize("nilai, huruf", [
    ("100.00", "A"), ("88.31", "A"), ("88.30", "B"), ("76.61", "B"), ("76.60", "C"),
    ("65.00", "C"), ("64.99", "D"), ("25.00", "D"),
])
def test_grade_boundaries(nilai, huruf):
    assert ikm.mutu(Decimal(nilai))[0] == huruf


def test_grading_refuses_unrounded_or_impossible_values():
    for salah in ("88.305", "24.99", "100.01"):
        with pytest.raises(ValueError):
            ikm.mutu(Decimal(salah))


# Hand sums: IKM = 25 x T / (9 x n) for n respondents answering everything with scores summing to T.
@pytest.mark.parametrize("n, total, diharapkan, huruf", [
    (19, 604, "88.30", "B"),  # 25 x 604 / 171 = 88.3040... -> 88.30
    (24, 763, "88.31", "A"),  # 25 x 763 / 216 = 88.3101... -> 88.31
    (26, 717, "76.60", "C"),  # 25 x 717 / 234 = 76.6025... -> 76.60
    (19, 524, "76.61", "B"),  # 25 x 524 / 171 = 76.6081... -> 76.61
    (38, 889, "64.99", "D"),  # 25 x 889 / 342 = 64.9853... -> 64.99
    (5, 117, "65.00", "C"),   # 25 x 117 / 45 = 65 exactly
])
def test_pipeline_hits_the_boundaries_from_hand_sums(n, total, diharapkan, huruf):
    h = ikm.hitung(responden(n, total), KODE)
    assert sum(h.jumlah_nilai.values()) == total and h.responden == n
    assert h.ikm == Decimal(diharapkan) and h.huruf == huruf


def test_rounding_is_half_up_on_the_exact_value():
    assert ikm.bulatkan(Fraction(88305, 1000)) == Decimal("88.31")  # half-even would give 88.30
    assert ikm.bulatkan(Fraction(76605, 1000)) == Decimal("76.61")
    assert ikm.bulatkan(Fraction(2, 3), 3) == Decimal("0.667")
    # SKM 3.5322 exactly -> IKM 88.305 -> 88.31 A (a float route could land on 88.30).
    assert ikm.mutu(ikm.bulatkan(Fraction(35322, 10000) * 25)) == ("A", "Sangat Baik")


def test_unanswered_elements_are_excluded_from_that_elements_nrr():
    jawaban = [
        {k: 3 for k in KODE},
        {**{k: 3 for k in KODE}, "u1": 1, "u4": None},
        {k: 3 for k in KODE if k != "u4"},  # u4 left out altogether
    ]
    h = ikm.hitung(jawaban, KODE)
    assert h.jumlah_jawaban["u4"] == 1 and h.nrr["u4"] == 3  # not 3/3 = 1
    assert h.jumlah_jawaban["u1"] == 3 and h.nrr["u1"] == Fraction(7, 3)
    # SKM = (7/3 + 8 x 3) / 9 = 79/27; IKM = 25 x 79 / 27 = 73.148... -> 73.15 C
    assert h.skm == Fraction(79, 27) and h.ikm == Decimal("73.15") and h.huruf == "C"


def test_an_element_nobody_answered_has_no_nrr_and_the_rest_carry_the_weight():
    h = ikm.hitung([{k: 3 for k in KODE if k != "u4"}] * 4, KODE)
    assert h.nrr["u4"] is None and h.jumlah_jawaban["u4"] == 0
    assert h.ikm == Decimal("75.00")


def test_no_responses_gives_no_index():
    h = ikm.hitung([], KODE)
    assert h.responden == 0 and h.ikm is None and h.huruf is None


def test_out_of_range_scores_are_refused():
    for salah in (0, 5, "4", 2.5, True):
        with pytest.raises(ValueError, match="harus 1-4"):
            ikm.hitung([{"u1": salah}], KODE)


def test_custom_weights_and_extra_elements():
    kode = KODE + ["u10"]
    bobot = {**{k: "0.1" for k in KODE}, "u10": "1/10"}  # decimal text is read exactly: 10 x 1/10 = 1
    h = ikm.hitung([{**{k: 4 for k in KODE}, "u10": 2}], kode, bobot)
    # SKM = 9 x 4/10 + 2/10 = 3.8; IKM = 95.00
    assert h.skm == Fraction(19, 5) and h.ikm == Decimal("95.00") and h.huruf == "A"
    assert ikm.bobot_sama(kode)["u10"] == Fraction(1, 10)


@pytest.mark.parametrize("bobot, pesan", [
    ({k: "1/10" for k in KODE}, "jumlah bobot harus tepat 1, sedangkan jumlahnya 9/10"),
    ({**{k: "1/9" for k in KODE[:-1]}, "u9": "0"}, "harus lebih dari 0"),
    ({k: "1/9" for k in KODE[:-1]}, "belum diberi bobot"),
    ({**{k: "1/9" for k in KODE}, "u99": "0"}, "tidak ada dalam survei"),
    ({**{k: "1/9" for k in KODE[:-1]}, "u9": "sepersembilan"}, "tidak dapat dibaca"),
    ({**{k: "1/9" for k in KODE[:-1]}, "u9": "1/0"}, "tidak dapat dibaca"),
])
def test_weights_that_do_not_sum_to_one_or_are_malformed_are_refused(bobot, pesan):
    with pytest.raises(ikm.BobotTidakValid, match=pesan):
        ikm.periksa_bobot(bobot, KODE)


def test_weights_read_as_exact_fractions():
    assert ikm.baca_bobot("1/9") == Fraction(1, 9)
    assert ikm.baca_bobot("0,125") == Fraction(1, 8)
    assert ikm.baca_bobot("12.5%") == Fraction(1, 8)
    assert sum(ikm.periksa_bobot({k: "1/9" for k in KODE}, KODE).values()) == 1
