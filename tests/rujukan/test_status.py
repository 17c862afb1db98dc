"""The referral state machine on its own: every allowed move, every refused one with its message."""
import pytest

from dinsos.referrals.status import AKSES_TUJUAN, STATUS, TransisiTidakSah, aksi_tersedia, status_dari_laporan, transisi

JALUR = [
    ("draf", "kirim", "dikirim"),
    ("dikirim", "sampai", "diterima_tujuan"),
    ("diterima_tujuan", "minta_info", "perlu_info"),
    ("perlu_info", "lengkapi", "diterima_tujuan"),
    ("diterima_tujuan", "terima", "diterima"),
    ("perlu_info", "terima", "diterima"),
    ("diterima_tujuan", "tolak", "ditolak"),
    ("perlu_info", "tolak", "ditolak"),
    ("draf", "tarik", "ditarik"),
    ("dikirim", "tarik", "ditarik"),
    ("diterima_tujuan", "tarik", "ditarik"),
    ("perlu_info", "tarik", "ditarik"),
    ("diterima", "selesai", "selesai"),
]


@pytest.mark.parametrize("dari, aksi, ke", JALUR)
def test_allowed_moves(dari, aksi, ke):
    assert transisi(dari, aksi) == ke
    assert aksi in aksi_tersedia(dari)


def test_every_other_move_is_refused_with_an_indonesian_message():
    boleh = {(d, a) for d, a, _k in JALUR}
    for status in STATUS:
        for aksi in ("kirim", "sampai", "minta_info", "lengkapi", "terima", "tolak", "tarik", "selesai"):
            if (status, aksi) in boleh:
                continue
            with pytest.raises(TransisiTidakSah, match="^Rujukan berstatus '.+' tidak dapat .+; hanya rujukan berstatus "):
                transisi(status, aksi)


@pytest.mark.parametrize("status", ["diterima", "ditolak", "ditarik", "selesai"])
def test_no_withdrawal_once_answered(status):
    with pytest.raises(TransisiTidakSah, match="tidak dapat ditarik"):
        transisi(status, "tarik")


def test_accepting_twice_and_finishing_before_acceptance_are_refused():
    with pytest.raises(TransisiTidakSah, match="'Diterima' tidak dapat diterima"):
        transisi("diterima", "terima")
    with pytest.raises(TransisiTidakSah, match="tidak dapat diselesaikan"):
        transisi("diterima_tujuan", "selesai")


def test_a_partner_takes_or_refuses_the_client_as_sent_and_has_no_delivery_step():
    assert transisi("dikirim", "terima", mitra=True) == "diterima"
    assert transisi("dikirim", "tolak", mitra=True) == "ditolak"
    assert transisi("diterima", "selesai", mitra=True) == "selesai"
    with pytest.raises(TransisiTidakSah, match="tidak berlaku untuk rujukan ke mitra"):
        transisi("dikirim", "minta_info", mitra=True)
    with pytest.raises(TransisiTidakSah):
        transisi("dikirim", "terima")  # a platform referral is accepted only once delivered


def test_unknown_status_or_action():
    with pytest.raises(TransisiTidakSah, match="tidak dikenal"):
        transisi("hilang", "kirim")
    with pytest.raises(TransisiTidakSah, match="tidak berlaku"):
        transisi("draf", "hapus")


@pytest.mark.parametrize("pengirim, tujuan, hasil", [
    ("dikirim", "diterima_tujuan", "diterima_tujuan"),
    ("diterima_tujuan", "perlu_info", "perlu_info"),
    ("perlu_info", "ditolak", "ditolak"),
    ("diterima", "selesai", "selesai"),
    # A withdrawal the receiver has not seen yet stands, unless it had already accepted.
    ("ditarik", "diterima_tujuan", "ditarik"),
    ("ditarik", "perlu_info", "ditarik"),
    ("ditarik", "ditarik", "ditarik"),
    ("ditarik", "diterima", "diterima"),
    ("ditarik", "selesai", "selesai"),
])
def test_the_senders_status_follows_the_receivers_report(pengirim, tujuan, hasil):
    assert status_dari_laporan(pengirim, tujuan) == hasil


def test_access_to_the_snapshot_ends_with_a_decline_or_withdrawal():
    assert "ditolak" not in AKSES_TUJUAN and "ditarik" not in AKSES_TUJUAN
    assert {"diterima_tujuan", "perlu_info", "diterima", "selesai"} == set(AKSES_TUJUAN)
