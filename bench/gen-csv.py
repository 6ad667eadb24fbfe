#!/usr/bin/env python3
"""Write a contacts CSV for the import benchmark: N rows with a generic
header (Name, E-mail, Phone, Company, Title, Tags, Notes), seeded, so the
same N gives the same bytes.  About 4% of the rows repeat an earlier
person (the same address in another case, or the same phone), so the
importer's dedupe has work to do.

    gen-csv.py N OUT [SEED]
"""
import csv
import random
import sys

FIRST = ["Ann", "Bob", "Chloe", "Dara", "Emil", "Farah", "Goran", "Hana",
         "Ivo", "Jun", "Kemal", "Lena", "Mateo", "Nadia", "Omar", "Petra",
         "Quinn", "Rosa", "Sven", "Tomoko", "Ugo", "Vera", "Wen", "Yusuf",
         "Zoë", "Émile", "Søren", "Łucja"]
LAST = ["Lee", "Stone", "Martin", "Okafor", "Novak", "Haddad", "Kowalski",
        "Silva", "Nguyen", "Schmidt", "Rossi", "Tanaka", "Müller", "García",
        "Dubois", "Ivanova", "Kim", "O'Brien", "Jensen", "Costa"]
COMPANY = ["Acme", "Globex", "Initech", "Umbrella", "Hooli", "Stark",
           "Wayne", "Tyrell", "Cyberdyne", "Soylent", ""]
TITLE = ["CEO", "CTO", "Designer", "Engineer", "Consultant", "Founder",
         "Sales", "Marketing", ""]
TAGS = ["bni", "linkedin", "client", "golf", "conference", "referral"]
SYL = ["ka", "lo", "mi", "ra", "sen", "tor", "vi", "an", "el", "is", "ul",
       "dor", "ben", "sa", "ni", "ko", "ta", "ré", "jö", "ma"]


def pools(rng):
    """Name and company pools the size of a real address book's: a few
    hundred thousand name pairs, thousands of companies."""
    first = list(FIRST)
    while len(first) < 600:
        first.append("".join(rng.choice(SYL) for _ in range(2)).title())
    last = list(LAST)
    while len(last) < 3000:
        last.append("".join(rng.choice(SYL) for _ in range(3)).title())
    company = [c for c in COMPANY if c]
    while len(company) < 5000:
        company.append("%s %s" % ("".join(rng.choice(SYL)
                                          for _ in range(3)).title(),
                                  rng.choice(["Ltd", "GmbH", "Inc.", "SA",
                                              "Studio", "& Co"])))
    return first, last, company + [""] * 500


def main():
    n = int(sys.argv[1])
    out = sys.argv[2]
    rng = random.Random(int(sys.argv[3]) if len(sys.argv) > 3 else 1)
    people = []
    first, last, company = pools(rng)
    with open(out, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\r\n")
        w.writerow(["Name", "E-mail", "Phone", "Company", "Title", "Tags",
                    "Notes"])
        for i in range(n):
            if people and rng.random() < 0.04:
                name, email, phone = people[rng.randrange(len(people))]
                if rng.random() < 0.5:
                    email = email.upper()
                    phone = ""
                else:
                    email = ""
                w.writerow([name, email, phone, "", "",
                            rng.choice(TAGS), "seen again"])
                continue
            name = "%s %s" % (rng.choice(first), rng.choice(last))
            email = "p%d.%s@example.com" % (i, name.split()[0].lower())
            phone = "+1 555 %03d %04d" % (i // 10000 % 1000, i % 10000)
            note = ""
            if rng.random() < 0.2:
                note = "Met at the %s meetup, wants a quote, \"soon\"" % \
                    rng.choice(["spring", "autumn", "winter"])
            w.writerow([name, email, phone, rng.choice(company),
                        rng.choice(TITLE), rng.choice(TAGS), note])
            if len(people) < 100000:
                people.append((name, email, phone))


if __name__ == "__main__":
    main()
