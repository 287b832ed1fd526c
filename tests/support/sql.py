"""Reading the SQL a request sent (``CaptureQueriesContext``): the list's count and page statements,
with the subqueries that only read the viewer's own rows (``IN (SELECT …)``) set aside."""


def outer_statement(sql: str) -> str:
    """``sql`` with every parenthesised subquery (``(SELECT …)``) replaced by ``(…)``: what is left
    is what the statement does to its own table."""
    out, depth, index = [], 0, 0
    while index < len(sql):
        if depth == 0 and sql.startswith("(SELECT", index):
            depth, index = 1, index + len("(SELECT")
            out.append("(…)")
            continue
        char = sql[index]
        if depth:
            depth += {"(": 1, ")": -1}.get(char, 0)
        else:
            out.append(char)
        index += 1
    return "".join(out)


def statements(captured, table: str) -> tuple[str, str]:
    """The list's count and its page (the ids, ordered and limited) over ``table``."""
    sqls = [query["sql"] for query in captured.captured_queries]
    counts = [sql for sql in sqls if sql.startswith("SELECT COUNT(*)") and f'FROM "{table}"' in sql]
    quoted = f'"{table}"'
    pages = [
        sql for sql in sqls if sql.startswith(" ".join(["SELECT", quoted + '."id" AS "pk" FROM', quoted]))
    ]
    assert len(counts) == 1, sqls
    assert len(pages) == 1, sqls
    return counts[0], pages[0]


def joins_or_groups(sql: str) -> list[str]:
    """What would make a count or a page read more than the table's matching rows."""
    outer = outer_statement(sql).upper()
    return [word for word in ("JOIN", "GROUP BY", "DISTINCT", "HAVING") if word in outer]
