#!/usr/bin/env python3
"""Checks that our answer and PostGraphile's hold the same rows, before benches/run.sh
times them: both are put in one plain shape (ids as row ids, money in minor units, what
PostGraphile leaves to the client computed here) and compared whole.

    benches/compare.py OPERATION OURS.json POSTGRAPHILE.json

OPERATION: nested, nested_created, invoices, invoices_photos, edges, dashboard, book,
wallets, sales_invoices. Exits 1 and prints
the first difference when the rows differ.
"""
import base64
import json
import sys
from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo


def minor(amount):
    """A Decimal string of ours ("150.00") in minor units."""
    return int(Decimal(amount) * 100)


def instant(text):
    """A timestamp as either server writes it, as one comparable value."""
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def row_id(global_id):
    """The row id inside one of our global IDs (base64url of "Type:id")."""
    padded = global_id + "=" * (-len(global_id) % 4)
    return int(base64.urlsafe_b64decode(padded).decode().split(":", 1)[1])


def nodes(connection):
    if "edges" in connection:
        return [edge["node"] for edge in connection["edges"]]
    return connection["nodes"]


def our_invoice(invoice, operation):
    row = [minor(invoice["total"]), invoice["dueDate"]]
    if operation in ("invoices", "invoices_photos"):
        row += [
            invoice["status"],
            invoice["type"]["name"] if invoice["type"] else None,
            [minor(d["amount"]) for d in invoice["discounts"]],
            minor(invoice["totalWithDiscount"]),
        ]
    return row


def their_invoice(invoice, operation):
    # PostGraphile writes bigints as strings.
    total = int(invoice["totalMinor"])
    row = [total, invoice["dueDate"]]
    if operation in ("invoices", "invoices_photos"):
        discounts = [
            int(d["amountMinor"]) for d in invoice["invoiceDiscountsByInvoiceId"]["nodes"]
        ]
        kind = invoice["invoiceTypeByTypeId"]
        row += [
            invoice["status"],
            kind["name"] if kind else None,
            discounts,
            max(0, total - sum(discounts)),
        ]
    return row


def photos(text):
    """A car's stored photos as our resolver reads them: a JSON list of URLs, else none."""
    try:
        urls = json.loads(text)
    except ValueError:
        return []
    return urls if isinstance(urls, list) and all(isinstance(u, str) for u in urls) else []


def ours_nested(data, operation):
    page = data["clients"]
    drivers = []
    for driver in nodes(page):
        contracts = []
        for contract in driver["contracts"]:
            row = [contract["hash"]]
            if operation == "nested_created":
                row.append(instant(contract["createdAt"]))
            if "car" in contract:
                car = contract["car"]
                row.append(car["model"] if car else None)
                if operation == "invoices_photos":
                    row.append(car["photos"] if car else None)
            row.append([our_invoice(i, operation) for i in nodes(contract["invoices"])])
            contracts.append(row)
        drivers.append([row_id(driver["id"]), driver["fullName"], contracts])
    extra = []
    if operation == "edges":
        extra = [page["totalCount"], page["pageInfo"]["hasNextPage"]]
    return [drivers, extra]


def theirs_nested(data, operation):
    page = data["allUsers"]
    drivers = []
    for driver in nodes(page):
        contracts = []
        for contract in driver["contractsByClientId"]["nodes"]:
            row = [contract["hash"]]
            if operation == "nested_created":
                row.append(instant(contract["createdAt"]))
            if "carByContractId" in contract:
                car = contract["carByContractId"]
                row.append(car["model"] if car else None)
                if operation == "invoices_photos":
                    row.append(photos(car["photos"]) if car else None)
            invoices = nodes(contract["invoicesByContractId"])
            row.append([their_invoice(i, operation) for i in invoices])
            contracts.append(row)
        name = f'{driver["firstName"]} {driver["lastName"]}'
        drivers.append([int(driver["rowId"]), name, contracts])
    extra = []
    if operation == "edges":
        extra = [int(page["totalCount"]), page["pageInfo"]["hasNextPage"]]
    return [drivers, extra]


def ours_dashboard(data):
    me = data["me"]
    return [
        me["document"],
        me["phoneNumber"],
        me["plan"]["name"] if me["plan"] else None,
        minor(me["wallet"]["balance"]),
        [
            [c["hash"], c["invoices"]["totalCount"],
             [[minor(i["total"]), i["dueDate"]] for i in c["invoices"]["nodes"]]]
            for c in me["contracts"]
        ],
    ]


def theirs_dashboard(data):
    user = data["userByRowId"]
    profile = user["clientProfileByUserId"]
    plan = profile["planByPlanId"]
    return [
        user["document"],
        profile["phoneNumber"],
        plan["name"] if plan else None,
        int(profile["coinsMinor"]),
        [
            [c["hash"], int(c["invoicesByContractId"]["totalCount"]),
             [[int(i["totalMinor"]), i["dueDate"]] for i in c["invoicesByContractId"]["nodes"]]]
            for c in user["contractsByClientId"]["nodes"]
        ],
    ]


def ours_book(data):
    return [
        [
            row_id(t["id"]),
            t["kind"],
            minor(t["amount"]),
            t["description"],
            t["date"],
            t["category"]["name"] if t["category"] else None,
            t["account"]["name"] if t["account"] else None,
            sorted(tag["name"] for tag in t["tags"]),
        ]
        for t in data["book"]["transactions"]["nodes"]
    ]


def theirs_book(data):
    books = data["userByRowId"]["booksByOwnerId"]["nodes"]
    rows = []
    for book in books:
        for t in book["bookTransactionsByBookId"]["nodes"]:
            category = t["bookCategoryByCategoryId"]
            account = t["bookAccountByAccountId"]
            tags = t["bookTransactionTagsByTransactionId"]["nodes"]
            rows.append([
                int(t["rowId"]),
                t["kind"],
                int(t["amountMinor"]),
                t["description"],
                t["date"],
                category["name"] if category else None,
                account["name"] if account else None,
                sorted(link["bookTagByTagId"]["name"] for link in tags),
            ])
    return rows


def ours_wallets(data):
    drivers = []
    for driver in data["clients"]["nodes"]:
        movements = driver["wallet"]["movements"]
        drivers.append([
            row_id(driver["id"]),
            driver["fullName"],
            driver["phoneNumber"],
            minor(driver["coins"]),
            minor(driver["wallet"]["balance"]),
            movements["totalCount"],
            [
                [
                    minor(m["amount"]) * (1 if m["direction"] == "CREDIT" else -1),
                    minor(m["balanceAfter"]),
                    instant(m["createdAt"]),
                ]
                for m in movements["nodes"]
            ],
            [[c["hash"], c["terminatedOn"]] for c in driver["contracts"]],
        ])
    return drivers


def theirs_wallets(data):
    drivers = []
    for driver in data["allUsers"]["nodes"]:
        profile = driver["clientProfileByUserId"]
        coins = int(profile["coinsMinor"]) if profile else 0
        movements = driver["walletMovementsByClientId"]
        drivers.append([
            int(driver["rowId"]),
            f'{driver["firstName"]} {driver["lastName"]}',
            profile["phoneNumber"] if profile else "",
            coins,
            coins,
            int(movements["totalCount"]),
            [
                [int(m["amountMinor"]), int(m["balanceAfterMinor"]), instant(m["createdAt"])]
                for m in movements["nodes"]
            ],
            [[c["hash"], c["terminatedOn"]] for c in driver["contractsByClientId"]["nodes"]],
        ])
    return drivers


def ours_sales_invoices(data):
    page = data["salesInvoices"]
    return [[
        [
            row_id(i["id"]), i["number"], i["date"], i["dueDate"], i["status"],
            minor(i["subtotal"]), minor(i["tax"]), minor(i["total"]),
            [i["customer"]["name"], i["customer"]["nationalId"]],
            [
                [t["description"], minor(t["quantity"]), minor(t["unitAmount"]),
                 minor(t["amount"])]
                for t in i["items"]
            ],
        ]
        for i in page["nodes"]
    ], page["totalCount"]]


def theirs_sales_invoices(data):
    page = data["allSalesInvoices"]
    # As of today in the organization's timezone: paid, or overdue past its due date
    # (its date without one), or pending.
    today = datetime.now(ZoneInfo("America/Lima")).date()

    def status(i):
        if i["paid"]:
            return "PAID"
        due = date.fromisoformat(i["dueDate"] or i["date"])
        return "OVERDUE" if due < today else "PENDING"

    return [[
        [
            int(i["rowId"]), i["number"], i["date"], i["dueDate"], status(i),
            int(i["subtotalMinor"]), int(i["taxMinor"]), int(i["totalMinor"]),
            [i["customerByCustomerId"]["name"], i["customerByCustomerId"]["nationalId"]],
            [
                [t["description"], int(t["quantityCenti"]), int(t["unitAmountMinor"]),
                 int(t["amountMinor"])]
                for t in i["salesInvoiceItemsByInvoiceId"]["nodes"]
            ],
        ]
        for i in page["nodes"]
    ], int(page["totalCount"])]


def plain(operation, ours, theirs):
    if operation == "sales_invoices":
        return ours_sales_invoices(ours), theirs_sales_invoices(theirs)
    if operation == "wallets":
        return ours_wallets(ours), theirs_wallets(theirs)
    if operation == "dashboard":
        return ours_dashboard(ours), theirs_dashboard(theirs)
    if operation == "book":
        return ours_book(ours), theirs_book(theirs)
    return ours_nested(ours, operation), theirs_nested(theirs, operation)


def first_difference(a, b, path="$"):
    if isinstance(a, list) and isinstance(b, list):
        for i, (x, y) in enumerate(zip(a, b)):
            found = first_difference(x, y, f"{path}[{i}]")
            if found:
                return found
        if len(a) != len(b):
            return f"{path}: {len(a)} items in ours, {len(b)} in PostGraphile's"
        return None
    return None if a == b else f"{path}: ours {a!r}, PostGraphile's {b!r}"


def main():
    operation, ours_file, theirs_file = sys.argv[1:4]
    with open(ours_file) as f:
        ours = json.load(f)["data"]
    with open(theirs_file) as f:
        theirs = json.load(f)["data"]
    a, b = plain(operation, ours, theirs)
    difference = first_difference(a, b)
    if difference:
        print(f"{operation}: the answers differ at {difference}", file=sys.stderr)
        sys.exit(1)
    count = len(a[0]) if operation not in ("dashboard", "book") else len(a)
    if count == 0:
        print(f"{operation}: both answers are empty: nothing was compared", file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main()
