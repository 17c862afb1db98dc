"""Accessibility basics checked on every page a journey visits."""


def _luminans(rgb):
    def kanal(c):
        c /= 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (kanal(x) for x in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def _rgb(css: str) -> tuple:
    return tuple(int(float(x)) for x in css[css.index("(") + 1:-1].split(",")[:3])


def kontras(a, b) -> float:
    """WCAG contrast ratio of two RGB colours."""
    la, lb = sorted((_luminans(a), _luminans(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def periksa(page) -> None:
    """Every form control has a label that tells it from the others of its group (fieldset, else form),
    the page has one h1 and a language, and text contrast is at least 4.5:1."""
    tanpa_label = page.evaluate(
        """() => [...document.querySelectorAll('input:not([type=hidden]):not([type=submit]), select, textarea')]
             .filter(e => !(e.labels && e.labels.length) && !e.getAttribute('aria-label') && !e.closest('label'))
             .map(e => e.name || e.id)"""
    )
    assert tanpa_label == [], f"controls without a label on {page.url}: {tanpa_label}"
    # A screen reader announces a control by its label and the legend of its fieldset: five "Status" fields
    # in one group cannot be told apart.
    sama = page.evaluate(
        """() => { const dilihat = new Map(), ganda = [];
             for (const e of document.querySelectorAll('input:not([type=hidden]):not([type=submit]), select, textarea')) {
               const label = (e.getAttribute('aria-label') || (e.labels && e.labels.length ? e.labels[0].textContent : '')
                              || (e.closest('label') ? e.closest('label').textContent : '')).trim().replace(/\\s+/g, ' ');
               const grup = e.closest('fieldset') || e.form || document.body;
               if (!dilihat.has(grup)) dilihat.set(grup, new Set());
               if (dilihat.get(grup).has(label)) ganda.push(label); else dilihat.get(grup).add(label);
             }
             return ganda; }"""
    )
    assert sama == [], f"controls sharing a label in one fieldset or form on {page.url}: {sama}"
    assert page.locator("h1").count() == 1, f"{page.url} should have exactly one h1"
    assert page.evaluate("document.documentElement.lang"), "html lang missing"
    warna = page.evaluate(
        """() => {
             const latar = e => { for (; e; e = e.parentElement) { const c = getComputedStyle(e).backgroundColor;
                                    if (c !== 'transparent' && !c.startsWith('rgba(0, 0, 0, 0')) return c; }
                                  return 'rgb(255, 255, 255)'; };
             return [...document.querySelectorAll('a, button, p, td, th, li, label, h1, h2, .lencana, [class^=status-]')]
               .filter(e => e.offsetParent !== null && e.textContent.trim())
               .map(e => [getComputedStyle(e).color, latar(e), e.tagName + '.' + e.className]); }"""
    )
    for teks, latar, nama in warna:
        assert kontras(_rgb(teks), _rgb(latar)) >= 4.5, f"low contrast {teks} on {latar} ({nama}) at {page.url}"
