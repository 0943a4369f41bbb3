// What happens once shipments are stored. Carrier sync registers here to create trackers,
// so orders/ does not depend on carriers/.
type Hook = (e: { storeId: string; shipmentIds: string[] }) => Promise<void>;

const g = globalThis as { __waypostShipmentHooks?: Hook[] };
const hooks = (): Hook[] => (g.__waypostShipmentHooks ??= []);

/** Registers a hook run after shipments are written (once per process). */
export function onShipmentsWritten(hook: Hook): void {
  if (!hooks().includes(hook)) hooks().push(hook);
}

/** Runs the hooks; a failing hook is logged by its owner and never undoes the write. */
export async function afterShipmentsWritten(e: { storeId: string; shipmentIds: string[] }): Promise<void> {
  if (e.shipmentIds.length === 0) return;
  for (const h of hooks()) await h(e);
}
