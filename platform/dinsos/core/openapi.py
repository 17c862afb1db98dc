"""What the OpenAPI document says beyond the marshmallow schemas: the bearer scheme and rules a schema cannot state.

- every operation needs ``Authorization: Bearer <token>`` (``dinsos users token``);
- ``POST /api/t/{slug}/kasus/`` takes exactly one of ``klien`` (a new client)
  and ``klien_id`` (an existing one): stated as ``oneOf`` over ``required``, so
  generators and client code see the rule, not only the 422.

The other rules (the page cursor's pattern, consent) are in the fields' own
descriptions and patterns, next to the fields (``cases.api``,
``referrals.api``), and the consent schemas get their description here.
"""

SKEMA_BEARER = {
    "type": "http",
    "scheme": "bearer",
    "description": "Token API pribadi (`dinsos users token`), dikirim sebagai `Authorization: Bearer dns_...`. "
                   "Token berlaku untuk kantor penggunanya saja; token yang dicabut atau akun nonaktif ditolak 401.",
}


DESKRIPSI = (
    "API kantor Dinas Sosial. Setiap permintaan memakai token pembawa (bearer) dan hanya melihat kantornya sendiri. "
    "Teks (alamat, parameter, isian JSON) tidak boleh memuat karakter NUL atau surrogate UTF-16 tanpa pasangan: "
    "ditolak 400 dengan pesan yang menyebut tempatnya. Parameter kueri tanpa nama ditolak 400."
)


def opsi_spesifikasi() -> dict:
    """``API_SPEC_OPTIONS``: merged into the document by apispec."""
    return {
        "info": {"description": DESKRIPSI},
        "components": {"securitySchemes": {"bearerAuth": SKEMA_BEARER}},
        "security": [{"bearerAuth": []}],
    }


def lengkapi(api) -> None:
    """Rules stated on the registered schemas (called once every capability registered its API)."""
    skema = api.spec.components.schemas
    penerimaan = skema.get("SkemaPenerimaan")
    if penerimaan is not None:
        penerimaan["oneOf"] = [{"required": ["klien"]}, {"required": ["klien_id"]}]
        penerimaan["description"] = ("Isi tepat satu dari `klien` (klien baru) atau `klien_id` (klien yang sudah tercatat); "
                                     "keduanya atau tidak satu pun ditolak 422.")
    if "SkemaPersetujuan" in skema:
        skema["SkemaPersetujuan"]["description"] = (
            "Persetujuan klien atau walinya untuk membagikan data ke kantor tujuan: siapa (`nama`, `hubungan`), "
            "bagaimana (`cara`) dan kapan (`tanggal`), keempatnya wajib.")
    if "SkemaBuat" in skema:
        skema["SkemaBuat"]["description"] = (
            "Rujukan baru. Dikirim (`kirim`: true) hanya bila `persetujuan` dicatat, atau `override_alasan` diisi oleh "
            "kepala bidang (persetujuan pengganti); selain itu 422 pada `persetujuan`. `kirim`: false menyimpan draf.")
