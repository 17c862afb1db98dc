// Region picker: with JavaScript a chosen level loads its children at once, so no round trip is needed.
// Onboarding's region form ([data-kirim-otomatis]) simply sends itself when a select changes.
(function () {
  "use strict";
  function isi(select, daftar) {
    select.length = 1; // keep the empty "—" option
    daftar.forEach(function (w) { select.add(new Option(w.nama, w.kode)); });
    Array.prototype.slice.call(select.querySelectorAll("optgroup")).forEach(function (g) { g.remove(); });
  }
  function pasang(wadah) {
    if (wadah.dataset.terpasang) { return; }
    wadah.dataset.terpasang = "1";
    var tombol = wadah.querySelector("[data-tanpa-skrip]");
    if (tombol) { tombol.hidden = true; }
    var tingkat = Array.prototype.slice.call(wadah.querySelectorAll("select[data-tingkat]"));
    tingkat.forEach(function (select, i) {
      select.addEventListener("change", function () {
        tingkat.slice(i + 1).forEach(function (s) { isi(s, []); });
        var berikut = tingkat[i + 1];
        if (!berikut || !select.value) { return; }
        fetch(wadah.dataset.anak + "?kode=" + encodeURIComponent(select.value), { credentials: "same-origin" })
          .then(function (r) { return r.ok ? r.json() : { wilayah: [] }; })
          .then(function (d) { isi(berikut, d.wilayah); });
      });
    });
  }
  function mulai() {
    Array.prototype.slice.call(document.querySelectorAll("[data-pemilih-wilayah]")).forEach(pasang);
    Array.prototype.slice.call(document.querySelectorAll("form[data-kirim-otomatis]")).forEach(function (form) {
      Array.prototype.slice.call(form.querySelectorAll("[data-tanpa-skrip]")).forEach(function (b) { b.hidden = true; });
      Array.prototype.slice.call(form.querySelectorAll("select")).forEach(function (s) {
        s.addEventListener("change", function () { form.submit(); });
      });
    });
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", mulai); } else { mulai(); }
})();
