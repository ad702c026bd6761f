"""The roles a membership can carry, and the organisation kinds they make sense in."""

from flask_babel import lazy_gettext as _l

LEARNER = "learner"
INTEGRITY_OFFICER = "integrity_officer"
TRAINER = "trainer"
GOVERNOR = "governor"
ADVISOR = "advisor"
SIP_ADMIN = "sip_admin"
BUSINESS_REP = "business_rep"

ROLES = (LEARNER, INTEGRITY_OFFICER, TRAINER, GOVERNOR, ADVISOR, SIP_ADMIN, BUSINESS_REP)

ROLE_LABELS = {
    LEARNER: _l("Learner"),
    INTEGRITY_OFFICER: _l("Integrity officer"),
    TRAINER: _l("Trainer"),
    GOVERNOR: _l("Governor"),
    ADVISOR: _l("Advisor"),
    SIP_ADMIN: _l("SIP administrator"),
    BUSINESS_REP: _l("Business representative"),
}

# Roles with power over other people's accounts or data must use a second factor.
ROLES_REQUIRING_SECOND_FACTOR = frozenset({SIP_ADMIN, INTEGRITY_OFFICER, ADVISOR})

NATIONAL = "national"
REGIONAL_GOVERNMENT = "regional_government"
ENTITY = "entity"
COMPANY = "company"

KINDS = (NATIONAL, REGIONAL_GOVERNMENT, ENTITY, COMPANY)

KIND_LABELS = {
    NATIONAL: _l("National body"),
    REGIONAL_GOVERNMENT: _l("Regional government"),
    ENTITY: _l("Public entity"),
    COMPANY: _l("Company"),
}

# Which roles a membership may carry in each kind of organisation.
ROLES_BY_KIND = {
    NATIONAL: frozenset({SIP_ADMIN, ADVISOR, LEARNER, TRAINER}),
    REGIONAL_GOVERNMENT: frozenset({LEARNER, INTEGRITY_OFFICER, TRAINER, GOVERNOR, ADVISOR}),
    ENTITY: frozenset({LEARNER, INTEGRITY_OFFICER, TRAINER}),
    COMPANY: frozenset({BUSINESS_REP}),
}

# Roles an integrity officer may hand out inside their own organisation.
ROLES_AN_OFFICER_MAY_ASSIGN = frozenset({LEARNER, TRAINER})
