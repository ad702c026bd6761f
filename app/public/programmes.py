"""The five programmes as the home page presents them."""

from flask_babel import lazy_gettext as _l

PROGRAMMES = (
    {
        "key": "induction",
        "slug": "integrity-induction",
        "title": _l("Integrity Induction Module"),
        "audience": _l("Every new public official, whatever the contract regime (CAS, D.Leg. 276, 728, Ley 30057)."),
        "summary": _l(
            "The mandatory induction: ethics, conflicts of interest, gifts, transparency, reporting "
            "wrongdoing and the risks of a regional government. Renewed every cycle."
        ),
    },
    {
        "key": "trainer",
        "slug": "train-the-trainer",
        "title": _l("Train-the-Trainer track"),
        "audience": _l("Heads of an entity's integrity function."),
        "summary": _l("Become a certified trainer and run the induction for your own staff, online and face to face."),
    },
    {
        "key": "governor",
        "slug": "governor-induction",
        "title": _l("Governor Induction"),
        "audience": _l("Regional Governors and their closest advisers, at the start of the term."),
        "summary": _l(
            "The legal duties on integrity, why integrity pays, and how to build the regional "
            "integrity system step by step."
        ),
    },
    {
        "key": "citizen",
        "slug": "citizen-integrity",
        "title": _l("Citizen for Integrity"),
        "audience": _l("Anyone."),
        "summary": _l(
            "The culture of legality, your right to information, and how to report and take part. "
            "A public certificate anyone can check."
        ),
    },
    {
        "key": "business",
        "slug": "business-integrity",
        "title": _l("Business for Integrity"),
        "audience": _l("Representatives of companies that deal with the State."),
        "summary": _l(
            "What integrity asks of firms: bribery, conflicts of interest, procurement and due "
            "diligence. The certificate is issued to the company."
        ),
    },
)
