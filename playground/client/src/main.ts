// A typed client of the gateway, run against a live server: logs in with the demo driver,
// reads the profile, the pending invoices of the demo contract, what paying one would
// cost, and the wallet, through `createClient` and the documents generated from
// ../operations/. Every value is also checked at run time against what its type promises
// (Decimal a string with at most two decimals, IDs opaque, enums one of their values), so
// a server that returned something else fails here. With WAIT_FOR_EXPIRY_MS it then waits
// for the access token to expire and reads the profile again: the client refreshes the
// session once and retries.
//
//   GATEWAY_URL=http://127.0.0.1:8000/graphql node dist/main.js

import { createClient, requireNoUserErrors } from './client.js';
import { pendingInvoices } from './example.js';
import {
  ContractInvoicesDocument,
  LoginDocument,
  MyProfileDocument,
  MyWalletDocument,
  PaySummaryDocument,
  RefreshSessionDocument,
  type InvoiceStatus,
  type MovementDirection,
  type UserRole,
} from './gql/graphql.js';
import { type Id, kindOf, parseId } from './ids.js';

const url = process.env.GATEWAY_URL ?? 'http://127.0.0.1:8000/graphql';
const document = process.env.DEMO_DOCUMENT ?? '10442008642';
const password = process.env.DEMO_PASSWORD ?? 'demo1234';
const waitForExpiry = Number(process.env.WAIT_FOR_EXPIRY_MS ?? '0');
const demoContract = '0b935679-d439-4463-b24a-1c9d54ce7542';

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
  let accessToken: string | null = null;
  let refreshToken: string | null = null;
  let refreshes = 0;
  const client = createClient({
    url,
    getAccessToken: () => accessToken,
    refresh: async () => {
      refreshes += 1;
      if (!refreshToken) return null;
      const { refreshToken: refreshed } = await anonymous.request(RefreshSessionDocument, {
        input: { refreshToken },
      });
      const session = requireNoUserErrors(refreshed).session;
      accessToken = session?.accessToken ?? null;
      refreshToken = session?.refreshToken ?? null;
      return accessToken;
    },
  });
  const anonymous = createClient({ url });

  const login = requireNoUserErrors((await client.request(LoginDocument, { input: { document, password } })).login);
  const session = login.session;
  if (!session) throw new Error('login returned no session');
  accessToken = session.accessToken;
  refreshToken = session.refreshToken;
  dateTime(session.accessTokenExpiresAt, 'accessTokenExpiresAt');
  oneOf(session.user.role, ROLES, 'session.user.role');

  const { me } = await client.request(MyProfileDocument);
  opaque(me.id, 'me.id');
  check(parseId(me.id) === me.id && kindOf(me.id) === 'Client', 'an ID read back from a URL', me.id);
  check(parseId('42') === null, 'a row number is not an ID', '42');
  // An occurrence of a recurring series that has no row yet has a negative number.
  const occurrence = btoa('Transaction:-67108869').replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
  check(
    parseId(occurrence) === occurrence && kindOf(occurrence as Id) === 'Transaction',
    "an occurrence's ID read back",
    occurrence,
  );
  check(me.role === 'CLIENT', 'the demo driver is a CLIENT', me.role);
  if (!('coins' in me)) throw new Error('me is not a Client');
  const coins: string = decimal(me.coins, 'me.coins');
  dateTime(me.createdAt, 'me.createdAt');

  const { contract } = await client.request(ContractInvoicesDocument, { hash: demoContract, status: 'PENDING', first: 20 });
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
  const lines = await pendingInvoices(client, demoContract);
  check(lines.length === Math.min(10, contract.invoices.totalCount), "the README's screen", lines);

  // The IDs go back as they came: the type only accepts IDs the server gave.
  const first = invoices[0];
  if (!first) throw new Error('no pending invoice');
  const { paySummary } = await client.request(PaySummaryDocument, { invoiceIds: [first.id] });
  const summary = requireNoUserErrors(paySummary).summary;
  if (!summary) throw new Error('no pay summary');
  check(summary.selectedInvoices.map((i) => i.id).join() === first.id, 'the selected invoice', summary.selectedInvoices);
  decimal(summary.totalToPay, 'summary.totalToPay');
  check(decimal(summary.coins, 'summary.coins') === coins, 'the summary counts my coins', summary.coins);

  const wallet = await client.request(MyWalletDocument);
  if (!('wallet' in wallet.me)) throw new Error('me has no wallet');
  check(decimal(wallet.me.wallet.balance, 'wallet.balance') === coins, 'the wallet holds my coins', wallet.me.wallet.balance);
  for (const movement of wallet.me.wallet.movements.nodes) {
    oneOf(movement.direction, DIRECTIONS, 'movement.direction');
    decimal(movement.amount, 'movement.amount');
    decimal(movement.balanceAfter, 'movement.balanceAfter');
  }

  let afterExpiry: string | null = null;
  if (waitForExpiry > 0) {
    await new Promise((resolve) => setTimeout(resolve, waitForExpiry));
    const again = await client.request(MyProfileDocument);
    afterExpiry = again.me.fullName;
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
      refreshes,
      afterExpiry,
    }),
  );
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
