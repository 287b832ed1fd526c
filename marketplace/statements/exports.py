"""Statements as rows for CSV files (the ``csv`` module writes them, a row at a time) and as plain
data for the API and the tax-tool export. Amounts are decimal strings in the currency's major unit
(``minor_to_major``, exact), next to the integer minor units."""

from collections.abc import Iterator

from marketplace.core.money import minor_to_major

from .selectors import Statement, YearlyEarnings

STATEMENT_HEADER = (
    "section",
    "currency",
    "date",
    "time",
    "kind",
    "description",
    "for",
    "reference",
    "amount",
    "balance",
    "amount_minor",
    "balance_minor",
    "ledger_transaction",
)


def _major(minor: int, currency: str) -> str:
    return str(minor_to_major(minor, currency))


def statement_rows(statement: Statement) -> Iterator[tuple]:
    """The header, then per section its opening balance, every line, and its closing balance."""
    yield STATEMENT_HEADER
    period, tz = statement.period, statement.period.tz
    for section in statement.sections:
        cur = section.currency
        yield (
            section.side, cur, period.start.isoformat(), "", "opening_balance", "Opening balance",
            "", "", "", _major(section.opening_minor, cur), "", section.opening_minor, "",
        )  # fmt: skip
        for line in section.lines:
            at = line.at.astimezone(tz)
            yield (
                section.side, cur, at.date().isoformat(), at.strftime("%H:%M:%S"), line.kind, line.label,
                line.purpose, line.reference, _major(line.amount_minor, cur), _major(line.balance_minor, cur),
                line.amount_minor, line.balance_minor, line.transaction_id,
            )  # fmt: skip
        yield (
            section.side, cur, period.end.isoformat(), "", "closing_balance", "Closing balance",
            "", "", "", _major(section.closing_minor, cur), "", section.closing_minor, "",
        )  # fmt: skip


def statement_data(statement: Statement) -> dict:
    period = statement.period
    return {
        "subject": statement.subject,
        "from": period.start,
        "to": period.end,
        "timezone": period.zone,
        "sections": [
            {
                "side": section.side,
                "currency": section.currency,
                "balance_means": section.balance_means,
                "opening_minor": section.opening_minor,
                "closing_minor": section.closing_minor,
                "totals": [{"kind": k, "label": label, "amount_minor": v} for k, label, v in section.totals],
                "lines": [
                    {
                        "at": line.at,
                        "kind": line.kind,
                        "label": line.label,
                        "purpose": line.purpose,
                        "reference": line.reference,
                        "amount_minor": line.amount_minor,
                        "balance_minor": line.balance_minor,
                        "ledger_transaction": line.transaction_id,
                    }
                    for line in section.lines
                ],
            }
            for section in statement.sections
        ],
    }


EARNINGS_HEADER = (
    "year",
    "rail",
    "currency",
    "released",
    "freelancer_fees",
    "net",
    "releases",
    "paid_out",
    "payouts",
    "released_minor",
    "freelancer_fees_minor",
    "net_minor",
    "paid_out_minor",
)


def earnings_rows(earnings: YearlyEarnings) -> Iterator[tuple]:
    yield EARNINGS_HEADER
    for rail in earnings.rails:
        cur = rail.currency
        yield (
            earnings.year, rail.rail, cur, _major(rail.released_minor, cur), _major(rail.fees_minor, cur),
            _major(rail.net_minor, cur), rail.releases, _major(rail.paid_out_minor, cur), rail.payouts,
            rail.released_minor, rail.fees_minor, rail.net_minor, rail.paid_out_minor,
        )  # fmt: skip


def earnings_data(earnings: YearlyEarnings) -> dict:
    return {
        "person": earnings.person,
        "year": earnings.year,
        "timezone": "UTC",
        "rails": [
            {
                "rail": rail.rail,
                "name": rail.name,
                "currency": rail.currency,
                "released_minor": rail.released_minor,
                "freelancer_fees_minor": rail.fees_minor,
                "net_minor": rail.net_minor,
                "releases": rail.releases,
                "paid_out_minor": rail.paid_out_minor,
                "payouts": rail.payouts,
            }
            for rail in earnings.rails
        ],
        "thresholds": [
            {
                "form": t.form,
                "rule": t.rule,
                "counted": t.counted,
                "currency": "USD",
                "amount_minor": t.amount_minor,
                "count": t.count,
                "amount_limit_minor": t.amount_limit_minor,
                "count_limit": t.count_limit,
                "amount_crossed": t.amount_crossed,
                "count_crossed": t.count_crossed,
                "crossed": t.crossed,
            }
            for t in earnings.thresholds
        ],
        "informational": True,
    }
