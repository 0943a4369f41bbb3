// Placeholder: the returns branch provides the real query.

/** The SKUs of the order with an open or completed return. */
export async function returnedSkus(opts: { storeId: string; orderId: string }): Promise<Set<string>> {
  void opts;
  return new Set();
}
