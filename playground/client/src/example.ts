// The README's screen: a driver's pending invoices, typed from the document itself.
import { type Client, graphql } from './index.js';

const PendingInvoices = graphql(`
  query PendingInvoices($hash: String!) {
    contract(hash: $hash) { invoices(status: PENDING, first: 10) { nodes { id dueDate totalWithDiscount } } }
  }
`);

export async function pendingInvoices(client: Client, hash: string): Promise<string[]> {
  const { contract } = await client.request(PendingInvoices, { hash });
  return (contract?.invoices.nodes ?? []).map((i) => `${i.dueDate}: ${i.totalWithDiscount}`);
}
