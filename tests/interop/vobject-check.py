#!/usr/bin/python3
"""Read a .vcf file with python3-vobject, an independent parser, and print
one line per card: "FN|emails|phones" (e-mails and phones in file order,
joined by ","), so that tests can compare what tend exported with what
another program reads.  Exit 1 (with the reason on stderr) if vobject
cannot parse the file; exit 77 if vobject is not installed.

Usage: /usr/bin/python3 tests/interop/vobject-check.py FILE
"""
import sys

try:
    import vobject
except ImportError:
    print("vobject-check: python3-vobject is not installed", file=sys.stderr)
    sys.exit(77)


def values(card, name):
    return [str(p.value) for p in card.contents.get(name, [])]


def main():
    if len(sys.argv) != 2:
        print(__doc__.strip().splitlines()[-1], file=sys.stderr)
        return 2
    with open(sys.argv[1], encoding="utf-8", newline="") as f:
        text = f.read()
    try:
        for card in vobject.readComponents(text):
            if card.name.upper() != "VCARD":
                raise ValueError("not a VCARD: %s" % card.name)
            fn = values(card, "fn")
            print("%s|%s|%s" % (fn[0] if fn else "",
                                ",".join(values(card, "email")),
                                ",".join(values(card, "tel"))))
    except Exception as e:  # vobject raises several kinds of errors
        print("vobject-check: %s: %s" % (sys.argv[1], e), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
