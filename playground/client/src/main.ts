// A typed client of the gateway: logs in with the demo driver, reads the profile, the
// pending invoices of the demo contract, what paying one would cost, and the wallet,
// with the operations of ../operations/ and the types generated from them. Every value
// is also checked at run time against what its type promises (Decimal a string with at
// most two decimals, IDs opaque, enums one of their values), so a server that returned
// something else fails here.
//
//   GATEWAY_URL=http://127.0.0.1:8000/graphql node dist/main.js

import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { print } from 'graphql';

import {
  ContractInvoicesDocument,
  LoginDocument,
  MyProfileDocument,
  MyWalletDocument,
  PaySummaryDocument,
  type InvoiceStatus,
  type MovementDirection,
  type UserRole,
} from './generated/graphql.js';
import type { Id } from './id.js';

const url = process.env.GATEWAY_URL ?? 'http://127.0.0.1:8000/graphql';
const document = process.env.DEMO_DOCUMENT ?? '10442008642';
const password = process.env.DEMO_PASSWORD ?? 'demo1234';
const demoContract = '0b935679-d439-4463-b24a-1c9d54ce7542';

/** Runs one operation; GraphQL errors and HTTP failures throw. */
async function request<Result, Variables>(
  operation: TypedDocumentNode<Result, Variables>,
  variables: Variables,
  token?: string,
): Promise<Result> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (token) headers.authorization = `Bearer ${token}`;
  const response = await fetch(url, {
    method: 'POST',
    headers,
    body: JSON.stringify({ query: print(operation), variables }),
  });
  const body = (await response.json()) as { data?: Result | null; errors?: unknown[] };
  if (!response.ok || body.errors?.length || !body.data) {
    throw new Error(`HTTP ${response.status}: ${JSON.stringify(body)}`);
  }
  return body.data;
}

/** A list of every value of an enum, which fails to compile when one is missing. */
function values<T extends string>() {
  return <const L extends readonly T[]>(list: L & ([Exclude<T, L[number]>] extends [never] ? unknown : never)) =>
    list;
}

const ROLES = values<UserRole>()(['ADMIN', 'CLIENT', 'COLLECTOR']);
const INVOICE_STATUSES = values<InvoiceStatus>()(['CANCELLED', 'FRACTION', 'FROZEN', 'PAID', 'PENDING', 'SPLIT']);
const DIRECTIONS = values<MovementDirection>()(['CREDIT', 'DEBIT']);

function check(ok: boolean, what: string, value: unknown): void {
  if (!ok) throw new Error(`${what}: unexpected ${JSON.stringify(value)}`);
}

/** Decimal: a JSON string such as "12.40", never a number. */
function decimal(value: string, what: string): string {
  check(typeof value === 'string' && /^-?\d+(\.\d{1,2})?$/.test(value), `${what} is a Decimal string`, value);
  return value;
}

/** A global ID: a non-empty string that is not a bare row number. */
function opaque(value: Id, what: string): Id {
  check(typeof value === 'string' && value.length > 0 && !/^\d+$/.test(value), `${what} is an opaque ID`, value);
  return value;
}

function oneOf<T extends string>(value: T, allowed: readonly T[], what: string): T {
  check(allowed.includes(value), `${what} is one of ${allowed.join(', ')}`, value);
  return value;
}

function date(value: string, what: string): string {
  check(/^\d{4}-\d{2}-\d{2}$/.test(value), `${what} is a Date`, value);
  return value;
}

function dateTime(value: string, what: string): string {
  check(!Number.isNaN(Date.parse(value)) && value.includes('T'), `${what} is a DateTime`, value);
  return value;
}

async function main(): Promise<void> {
  const login = await request(LoginDocument, { input: { document, password } });
  check(login.login.userErrors.length === 0, 'login has no user errors', login.login.userErrors);
  const session = login.login.session;
  if (!session) throw new Error('login returned no session');
  const token = session.accessToken;
  dateTime(session.accessTokenExpiresAt, 'accessTokenExpiresAt');
  oneOf(session.user.role, ROLES, 'session.user.role');

  const { me } = await request(MyProfileDocument, {}, token);
  opaque(me.id, 'me.id');
  check(me.role === 'CLIENT', 'the demo driver is a CLIENT', me.role);
  if (!('coins' in me)) throw new Error('me is not a Client');
  const coins: string = decimal(me.coins, 'me.coins');
  dateTime(me.createdAt, 'me.createdAt');

  const { contract } = await request(ContractInvoicesDocument, { hash: demoContract, status: 'PENDING', first: 20 }, token);
  if (!contract) throw new Error(`contract ${demoContract} not found`);
  decimal(contract.weeklyAmount, 'contract.weeklyAmount');
  const invoices = contract.invoices.nodes;
  check(invoices.length > 0 && contract.invoices.totalCount >= invoices.length, 'pending invoices', contract.invoices);
  for (const invoice of invoices) {
    opaque(invoice.id, 'invoice.id');
    check(oneOf(invoice.status, INVOICE_STATUSES, 'invoice.status') === 'PENDING', 'filtered by status', invoice.status);
    decimal(invoice.total, 'invoice.total');
    decimal(invoice.totalWithDiscount, 'invoice.totalWithDiscount');
    date(invoice.dueDate, 'invoice.dueDate');
    check(invoice.paidDate === null, 'a pending invoice is unpaid', invoice.paidDate);
    for (const discount of invoice.discounts) decimal(discount.amount, 'discount.amount');
  }

  // The IDs go back as they came: the type only accepts IDs the server gave.
  const first = invoices[0];
  if (!first) throw new Error('no pending invoice');
  const { paySummary } = await request(PaySummaryDocument, { invoiceIds: [first.id] }, token);
  check(paySummary.userErrors.length === 0, 'pay summary has no user errors', paySummary.userErrors);
  const summary = paySummary.summary;
  if (!summary) throw new Error('no pay summary');
  check(summary.selectedInvoices.map((i) => i.id).join() === first.id, 'the selected invoice', summary.selectedInvoices);
  decimal(summary.totalToPay, 'summary.totalToPay');
  check(decimal(summary.coins, 'summary.coins') === coins, 'the summary counts my coins', summary.coins);

  const wallet = await request(MyWalletDocument, {}, token);
  if (!('wallet' in wallet.me)) throw new Error('me has no wallet');
  check(decimal(wallet.me.wallet.balance, 'wallet.balance') === coins, 'the wallet holds my coins', wallet.me.wallet.balance);
  for (const movement of wallet.me.wallet.movements.nodes) {
    oneOf(movement.direction, DIRECTIONS, 'movement.direction');
    decimal(movement.amount, 'movement.amount');
    decimal(movement.balanceAfter, 'movement.balanceAfter');
  }

  console.log(
    JSON.stringify({
      ok: true,
      user: me.fullName,
      coins,
      pendingInvoices: contract.invoices.totalCount,
      firstInvoice: { dueDate: first.dueDate, totalWithDiscount: first.totalWithDiscount },
      totalToPay: summary.totalToPay,
      movements: wallet.me.wallet.movements.totalCount,
    }),
  );
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
